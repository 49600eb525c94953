package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS from Junction to an upstream through the real distribution: an {@code http} pipeline per
 * case and provider (the JDK's and OpenSSL from {@code lib/}) in front of a JDK HttpsServer whose
 * self-signed certificate is for {@code CN=backend.internal}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class UpstreamTlsIT {

    private static final List<String> PROVIDERS = List.of("jdk", "openssl");
    /** Each case's upstream {@code tls}, with the CA file relative to the config's directory. */
    private static final List<Map.Entry<String, String>> CASES = List.of(
            Map.entry("trusted", "{ \"caFile\": \"tls/backend.internal.pem\", \"serverName\": \"backend.internal\", \"provider\": \"%s\" }"),
            Map.entry("untrusted", "{ \"caFile\": \"tls/other.pem\", \"serverName\": \"backend.internal\", \"provider\": \"%s\" }"),
            Map.entry("misnamed", "{ \"caFile\": \"tls/backend.internal.pem\", \"serverName\": \"api.internal\", \"provider\": \"%s\" }"),
            Map.entry("unverified", "{ \"caFile\": \"tls/other.pem\", \"verify\": false, \"provider\": \"%s\" }"));

    private Path work;
    private HttpsBackend backend;
    private JunctionProcess junction;
    private final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("upstream-tls-it");
        Path conf = Files.createDirectories(work.resolve("conf"));
        Path tls = Files.createDirectories(conf.resolve("tls"));
        TlsCertificates.create(tls, "backend.internal");
        TlsCertificates.create(tls, "other");
        backend = new HttpsBackend(tls.resolve("backend.internal.p12"));
        List<String> pipelines = new ArrayList<>();
        List<String> upstreams = new ArrayList<>();
        for (String provider : PROVIDERS) {
            for (Map.Entry<String, String> c : CASES) {
                String name = c.getKey() + "-" + provider;
                ports.put(name, Net.freePort());
                pipelines.add("""
                        { "name": "%s", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "connectTimeout": "2s" },
                          "upstream": "%s" }""".formatted(name, ports.get(name), name));
                upstreams.add("""
                        { "name": "%s", "endpoints": [ "%s" ], "tls": %s }""".formatted(name, backend.endpoint(),
                        c.getValue().formatted(provider)));
                ports.put("tcp-" + name, Net.freePort()); // the same upstream behind a layer 4 pipeline
                pipelines.add("""
                        { "name": "tcp-%s", "listen": "127.0.0.1:%d", "protocol": { "type": "tcp", "connectTimeout": "2s" },
                          "upstream": "%s" }""".formatted(name, ports.get("tcp-" + name), name));
            }
        }
        Path config = Configs.write(conf, "upstream-tls.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [ %s ],
                  "upstreams": [ %s ] }
                """.formatted(Net.freePort(), String.join(",\n", pipelines), String.join(",\n", upstreams)));
        junction = JunctionProcess.startReady(work, "-c", work.relativize(config).toString());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {junction, backend}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private HttpResponse<String> get(String pipeline, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(pipeline) + path))
                .timeout(Duration.ofSeconds(15)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStartupLogDescribesEachTlsUpstream() {
        assertThat(junction.output())
                .contains("upstream trusted-jdk: TLS via JDK, TLSv1.3+TLSv1.2, trusting backend.internal.pem (1 CA),"
                        + " server name backend.internal")
                .contains("upstream trusted-openssl: TLS via OpenSSL (BoringSSL");
    }

    /** tcp originates TLS too: the client speaks plain bytes, the backend connection is TLS (never spliced). */
    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aTcpPipelineWrapsItsBackendConnectionInTls(String provider) throws Exception {
        HttpResponse<String> response = get("tcp-trusted-" + provider, "/layer4");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tls TLSv1.3 sni backend.internal path /layer4");
        assertThatThrownBy(() -> get("tcp-untrusted-" + provider, "/layer4"))
                .as("a backend certificate that does not verify closes the client").isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aTrustedBackendIsReachedOverTlsWithTheServerName(String provider) throws Exception {
        HttpResponse<String> response = get("trusted-" + provider, "/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tls TLSv1.3 sni backend.internal path /hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void connectionsToTheBackendAreReusedOverTls(String provider) throws Exception {
        String path = "/reuse-" + provider;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get("trusted-" + provider, path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("tls ");
        }
        assertThat(backend.requests(path)).isEqualTo(10);
        assertThat(backend.connections(path)).as("distinct backend connections for 10 requests").isBetween(1, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aCertificateFromAnotherCaIs502ConnectFailed(String provider) throws Exception {
        HttpResponse<String> response = get("untrusted-" + provider, "/untrusted");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-junction-error")).hasValue("connect-failed");
        assertThat(backend.requests("/untrusted")).as("no request reaches the backend").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aServerNameTheCertificateDoesNotCoverIs502ConnectFailed(String provider) throws Exception {
        HttpResponse<String> response = get("misnamed-" + provider, "/misnamed");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-junction-error")).hasValue("connect-failed");
        assertThat(backend.requests("/misnamed")).as("no request reaches the backend").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void withoutVerificationAnyCertificatePassesWithAWarning(String provider) throws Exception {
        HttpResponse<String> response = get("unverified-" + provider, "/unverified");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("no SNI for an IP address").isEqualTo("tls TLSv1.3 sni - path /unverified");
        assertThat(junction.output()).containsPattern("WARN .*upstream unverified-" + provider
                + ": upstreams\\[\\d+\\]\\.tls\\.verify is false, so any certificate is trusted");
    }

    /**
     * A JDK HttpsServer on 127.0.0.1 answering {@code tls PROTOCOL sni NAME path PATH}; it counts
     * requests and the distinct client connections they came on, per path.
     */
    static final class HttpsBackend implements AutoCloseable {

        private final HttpsServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final Map<String, List<InetSocketAddress>> seen = new ConcurrentHashMap<>();

        HttpsBackend(Path pkcs12) throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pkcs12)) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "changeit".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(Net.LOOPBACK, 0), 100);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
            server.createContext("/", this::handle);
            server.setExecutor(executor);
            server.start();
        }

        String endpoint() {
            return Net.LOOPBACK + ":" + server.getAddress().getPort();
        }

        int requests(String path) {
            return seen.getOrDefault(path, List.of()).size();
        }

        int connections(String path) {
            return Set.copyOf(seen.getOrDefault(path, List.of())).size();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                seen.computeIfAbsent(path, p -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(exchange.getRemoteAddress());
                exchange.getRequestBody().readAllBytes();
                String body;
                if (exchange instanceof HttpsExchange https) {
                    SSLSession session = https.getSSLSession();
                    String sni = session instanceof ExtendedSSLSession extended && !extended.getRequestedServerNames().isEmpty()
                            ? ((SNIHostName) extended.getRequestedServerNames().get(0)).getAsciiName() : "-";
                    body = "tls " + session.getProtocol() + " sni " + sni + " path " + path;
                } else {
                    body = "plain path " + path;
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
