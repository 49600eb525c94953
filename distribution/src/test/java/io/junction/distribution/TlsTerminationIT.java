package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS termination through the real distribution: a {@code respond} pipeline per provider (the
 * JDK's and OpenSSL from {@code lib/}), each with a certificate for api.example.com and a default
 * one, reached by the JDK's own TLS client on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TlsTerminationIT {

    private static final String BODY = "hello over tls";

    private Path work;
    private Path conf;
    private TlsCertificates.Pair api;
    private TlsCertificates.Pair fallback;
    private JunctionProcess junction;
    private final Map<String, Integer> ports = new java.util.HashMap<>();
    private int admin;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("tls-it");
        conf = Files.createDirectories(work.resolve("conf"));
        Path tls = Files.createDirectories(conf.resolve("tls"));
        api = TlsCertificates.create(tls, "api");
        fallback = TlsCertificates.create(tls, "default");
        admin = Net.freePort();
        ports.put("jdk", Net.freePort());
        ports.put("openssl", Net.freePort());
        // Relative file names start from the config file's directory (conf/), not from the working directory.
        String pipeline = """
                { "name": "tls-%1$s", "listen": "127.0.0.1:%2$d", "protocol": { "type": "respond", "body": "%3$s" },
                  "tls": { "certificates": [
                             { "cert": "tls/api.pem", "key": "tls/api.key", "serverNames": [ "api.example.com" ] },
                             { "cert": "tls/default.pem", "key": "tls/default.key" } ],
                           "alpn": [ "http/1.1" ], "provider": "%1$s" } }""";
        Path config = Configs.write(conf, "tls.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [ %s, %s ] }
                """.formatted(admin, pipeline.formatted("jdk", ports.get("jdk"), BODY),
                pipeline.formatted("openssl", ports.get("openssl"), BODY)));
        junction = JunctionProcess.startReady(work, "-c", work.relativize(config).toString());
    }

    @AfterAll
    void stop() {
        if (junction != null) {
            junction.close();
        }
    }

    /** A client of its own per connection: the JDK resumes a cached session, and with it that session's server name. */
    private SSLSocket handshake(String provider, String sni, String... alpn) throws Exception {
        SSLContext context = TlsCertificates.trusting(api, fallback);
        Socket plain = Net.connect(ports.get(provider));
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, Net.LOOPBACK, plain.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(alpn);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static String subject(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private static String get(SSLSocket socket) throws IOException {
        try (socket) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return Net.readAll(socket.getInputStream());
        }
    }

    @Test
    void theStartupLogNamesEachPipelinesProvider() {
        assertThat(junction.output())
                .contains("pipeline tls-jdk: TLS via JDK, TLSv1.3+TLSv1.2, ALPN [http/1.1], certificates: api.pem [api.example.com];"
                        + " default.pem [] (default)")
                .contains("pipeline tls-openssl: TLS via OpenSSL (BoringSSL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void theServerNamePicksTheCertificateAndAlpnIsNegotiated(String provider) throws Exception {
        SSLSocket socket = handshake(provider, "api.example.com", "http/1.1");
        assertThat(subject(socket)).isEqualTo("CN=api");
        assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        String response = get(socket);
        assertThat(response).startsWith("HTTP/1.1 200").endsWith(BODY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void anUnknownServerNameGetsTheDefaultCertificate(String provider) throws Exception {
        SSLSocket socket = handshake(provider, "other.example.net", "h2", "http/1.1");
        assertThat(subject(socket)).isEqualTo("CN=default");
        assertThat(socket.getApplicationProtocol()).as("h2 is not offered by the server").isEqualTo("http/1.1");
        assertThat(get(socket)).startsWith("HTTP/1.1 200").endsWith(BODY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aClientWithoutServerNameGetsTheDefaultCertificate(String provider) throws Exception {
        SSLSocket socket = handshake(provider, null);
        assertThat(subject(socket)).isEqualTo("CN=default");
        assertThat(get(socket)).startsWith("HTTP/1.1 200").endsWith(BODY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aTls12ClientIsServedAndATls11ClientIsRefusedAndCounted(String provider) throws Exception {
        SSLContext context = TlsCertificates.trusting(api, fallback);
        try (SSLSocket tls12 = (SSLSocket) context.getSocketFactory().createSocket(Net.connect(ports.get(provider)), Net.LOOPBACK,
                ports.get(provider), true)) {
            tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
            tls12.startHandshake();
            assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
        double before = failures(provider, "handshake");
        // The JDK refuses to send TLS 1.1 at all, so the ClientHello is made by hand.
        try (Socket socket = Net.connect(ports.get(provider))) {
            socket.getOutputStream().write(tls11ClientHello());
            byte[] answer = readUntilClosed(socket.getInputStream());
            assertThat(answer.length == 0 || answer[0] == 0x15).as("closed, after an alert if anything").isTrue();
        }
        awaitFailures(provider, "handshake", before + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void plaintextIsClosedAndCounted(String provider) throws Exception {
        assertThat(failures(provider, "not-tls")).isZero();
        try (Socket socket = Net.connect(ports.get(provider))) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(readUntilClosed(socket.getInputStream()), StandardCharsets.ISO_8859_1))
                    .as("the respond body must never be sent in plaintext").doesNotContain("HTTP/1.1", BODY);
        }
        awaitFailures(provider, "not-tls", 1);
    }

    @Test
    void validateReadsTheTlsFiles() throws Exception {
        Path bad = Configs.write(conf, "bad-tls.json", """
                { "pipelines": [ { "name": "t", "listen": "127.0.0.1:0", "protocol": { "type": "respond" },
                    "tls": { "certificates": [ { "cert": "tls/api.pem", "key": "tls/default.key" },
                                               { "cert": "tls/default.pem", "key": "tls/missing.key" } ],
                             "protocols": [ "TLSv1.2" ] } } ] }
                """);
        JunctionProcess.Result result = JunctionProcess.run(work, "validate", "-c", bad.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr())
                .contains("pipelines[0].tls.certificates[0].key: the key in " + conf.resolve("tls/default.key")
                        + " does not belong to the certificate in " + conf.resolve("tls/api.pem"))
                .contains("pipelines[0].tls.certificates[1].key: cannot read " + conf.resolve("tls/missing.key") + ": no such file");
        JunctionProcess.Result good = JunctionProcess.run(work, "validate", "-c", conf.resolve("tls.json").toString());
        assertThat(good.exitCode()).as(good.toString()).isEqualTo(0);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private double failures(String provider, String reason) throws Exception {
        String name = "junction_pipeline_tls_handshake_failures_total{pipeline=\"tls-" + provider + "\",reason=\"" + reason + "\"}";
        String metrics = Net.get(admin, "/metrics").body();
        return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError("no " + name + " in\n" + metrics));
    }

    private void awaitFailures(String provider, String reason, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (failures(provider, reason) < expected && System.nanoTime() < deadline) {
            JunctionProcess.sleep(50);
        }
        assertThat(failures(provider, reason)).as("%s failures on tls-%s", reason, provider).isEqualTo(expected);
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketException reset) {
            return new byte[0];
        }
    }

    /** A ClientHello record offering TLS 1.1 only (no supported_versions extension), as an old client sends it. */
    private static byte[] tls11ClientHello() {
        byte[] suites = {(byte) 0xc0, 0x09, (byte) 0xc0, 0x13, 0x00, 0x2f, 0x00, 0x35};
        int body = 2 + 32 + 1 + 2 + suites.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x16, 0x03, 0x01, (byte) ((body + 4) >> 8), (byte) (body + 4)}); // handshake record, TLS 1.0
        out.writeBytes(new byte[] {0x01, 0, (byte) (body >> 8), (byte) body, 0x03, 0x02}); // ClientHello, client_version TLS 1.1
        out.writeBytes(new byte[32]); // random
        out.write(0); // no session id
        out.writeBytes(new byte[] {0, (byte) suites.length});
        out.writeBytes(suites);
        out.writeBytes(new byte[] {1, 0}); // compression: null
        return out.toByteArray();
    }
}
