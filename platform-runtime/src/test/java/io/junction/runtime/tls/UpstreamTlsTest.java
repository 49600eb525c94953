package io.junction.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.junction.api.config.ConfigDoc;
import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import io.junction.runtime.config.ConfigError;
import io.junction.runtime.config.ConfigException;
import io.junction.runtime.config.ConfigLoader;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.plugin.ExtensionKind;
import io.junction.runtime.plugin.ExtensionRegistry;
import io.junction.runtime.upstream.DefaultEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream's {@code "tls"}: binding, every error a user can make in it, and handshakes of the
 * built handler against a JDK TLS server on 127.0.0.1, with real PEM files.
 */
class UpstreamTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair backend;
    static TestCertificates.Pair other;
    static SSLServerSocket server;
    static final BlockingQueue<List<SNIServerName>> serverNames = new LinkedBlockingQueue<>();
    static EventLoopGroup group;

    @BeforeAll
    static void start() throws Exception {
        backend = TestCertificates.create(dir, "backend.test");
        other = TestCertificates.create(dir, "other");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("backend.test.p12"))) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(UpstreamTlsTest::serve, "tls-backend");
        acceptor.setDaemon(true);
        acceptor.start();
        group = new NioEventLoopGroup(1);
    }

    private static void serve() {
        while (!server.isClosed()) {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(5000);
                try {
                    socket.startHandshake();
                    serverNames.add(((ExtendedSSLSession) socket.getSession()).getRequestedServerNames());
                    socket.getInputStream().read(); // until the client closes
                } catch (java.io.IOException refusedByTheClient) {
                    // the client did not trust us: expected in some tests
                }
            } catch (java.io.IOException closed) {
                return;
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static LoadedConfig load(String tls) throws ConfigException {
        return new ConfigLoader(registry()).parse("""
                { "pipelines": [ { "name": "a", "listen": "127.0.0.1:9443", "protocol": {"type": "respond"} } ],
                  "upstreams": [ { "name": "secure", "endpoints": ["127.0.0.1:%d"], "tls": %s } ] }
                """.formatted(server.getLocalPort(), tls), dir.resolve("junction.json").toString(), dir);
    }

    private static ClientTls tls(String json) throws ConfigException {
        return load(json).upstreams().get(0).tls();
    }

    private static ConfigError onlyError(String tls, String path, String... parts) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(tls));
        assertThat(e).as("the config should be refused").isNotNull();
        assertThat(e.errors()).as("errors").hasSize(1);
        ConfigError error = e.errors().get(0);
        assertThat(error.path()).as("path of %s", error).isEqualTo(path);
        assertThat(error.message()).as("message of %s", error).contains(parts);
        return error;
    }

    /** Connects to the test server with a handler of {@code tls}; the handshake's outcome. */
    private static Future<Channel> handshake(ClientTls tls, String host) throws Exception {
        Endpoint endpoint = new DefaultEndpoint("secure", host + ":" + server.getLocalPort(),
                new InetSocketAddress(host, server.getLocalPort()), 1, new SimpleMeterRegistry());
        java.util.concurrent.atomic.AtomicReference<SslHandler> ssl = new java.util.concurrent.atomic.AtomicReference<>();
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ssl.set(tls.newHandler(ch.alloc(), endpoint));
                        ch.pipeline().addLast(ssl.get());
                    }
                })
                .connect(endpoint.address()).sync().channel();
        // Kept from set-up: a handshake that fails at once closes the channel, and its pipeline may be empty by now.
        Future<Channel> done = ssl.get().handshakeFuture().await();
        channel.close().sync();
        return done;
    }

    // ---- binding ---------------------------------------------------------------------------

    @Test
    void bindsWithDefaultsAndTheCaFileRelativeToTheConfigDirectory() throws ConfigException {
        ClientTls tls = tls("""
                { "caFile": "backend.test.pem", "serverName": "backend.test" }""");
        assertThat(tls.verify()).isTrue();
        assertThat(tls.describe()).startsWith("OpenSSL").contains("TLSv1.3+TLSv1.2", "trusting backend.test.pem (1 CA)",
                "server name backend.test");
    }

    @Test
    void theEffectiveConfigShowsTheSettingsWithDefaults() throws ConfigException {
        LoadedConfig config = load("""
                { "caFile": "backend.test.pem", "provider": "jdk" }""");
        var json = io.junction.runtime.config.EffectiveConfig.toJson(config, io.junction.runtime.config.ConfigMapper.create());
        assertThat(json.at("/upstreams/0/tls").toString()).isEqualTo(
                "{\"caFile\":\"backend.test.pem\",\"serverName\":null,\"verify\":true,"
                        + "\"protocols\":[\"TLSv1.3\",\"TLSv1.2\"],\"provider\":\"JDK\"}");
    }

    @Test
    void anUpstreamWithoutTlsHasNone() throws ConfigException {
        LoadedConfig config = new ConfigLoader(registry()).parse("""
                { "pipelines": [ { "name": "a", "listen": "127.0.0.1:9443", "protocol": {"type": "respond"} } ],
                  "upstreams": [ { "name": "plain", "endpoints": ["127.0.0.1:1"] } ] }""", "t.json", dir);
        assertThat(config.upstreams().get(0).tls()).isNull();
    }

    @Test
    void explicitSettingsAndTheDefaultTrustStore() throws ConfigException {
        ClientTls tls = tls("""
                { "protocols": ["TLSv1.2"], "provider": "jdk", "verify": true }""");
        assertThat(tls.describe()).isEqualTo("JDK, TLSv1.2, trusting the JDK's default CAs, server name each endpoint's host");
        assertThat(tls("""
                { "verify": false, "caFile": "other.pem" }""").describe()).contains("NOT VERIFIED");
    }

    // ---- errors ----------------------------------------------------------------------------

    @Test
    void aMissingCaFileNamesItsPathAndTheFile() {
        onlyError("""
                { "caFile": "nope/ca.pem" }""", "upstreams[0].tls.caFile", "cannot read " + dir.resolve("nope/ca.pem"), "no such file");
    }

    @Test
    void aMalformedCaFileNamesItsPathAndTheFile() throws Exception {
        Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");
        onlyError("""
                { "caFile": "garbage.pem" }""", "upstreams[0].tls.caFile", "no certificate in " + dir.resolve("garbage.pem"), "not PEM");
        String good = Files.readString(backend.cert());
        Files.writeString(dir.resolve("truncated.pem"), good.substring(0, good.length() / 2) + "\n-----END CERTIFICATE-----\n");
        onlyError("""
                { "caFile": "truncated.pem" }""", "upstreams[0].tls.caFile", "malformed", "in " + dir.resolve("truncated.pem"));
        onlyError("""
                { "caFile": "backend.test.key" }""", "upstreams[0].tls.caFile", "holds [PRIVATE KEY] but not a certificate");
    }

    @Test
    void fieldErrorsNameTheirPath() {
        onlyError("""
                { "provider": "boringssl" }""", "upstreams[0].tls.provider", "[auto, openssl, jdk]");
        onlyError("""
                { "protocols": ["TLSv1.1"] }""", "upstreams[0].tls.protocols", "\"TLSv1.1\" is not accepted");
        onlyError("""
                { "caFile": "" }""", "upstreams[0].tls.caFile", "is empty");
        onlyError("""
                { "serverName": "bad name" }""", "upstreams[0].tls.serverName", "not a host name");
        onlyError("""
                { "verify": "yes" }""", "upstreams[0].tls.verify", "");
        onlyError("""
                { "ca": "x.pem" }""", "upstreams[0].tls.ca", "unknown field");
    }

    // ---- handshakes ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aTrustedCertificateWithItsNameHandshakesAndSendsTheServerName(String provider) throws Exception {
        serverNames.clear();
        ClientTls tls = tls("""
                { "caFile": "backend.test.pem", "serverName": "backend.test", "provider": "%s" }""".formatted(provider));
        Future<Channel> done = handshake(tls, "127.0.0.1");
        assertThat(done.cause()).isNull();
        assertThat(serverNames.poll(5, TimeUnit.SECONDS)).containsExactly(new SNIHostName("backend.test"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void anUntrustedCertificateFailsTheHandshake(String provider) throws Exception {
        ClientTls tls = tls("""
                { "caFile": "other.pem", "serverName": "backend.test", "provider": "%s" }""".formatted(provider));
        assertThat(handshake(tls, "127.0.0.1").isSuccess()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aNameTheCertificateDoesNotCoverFailsTheHandshake(String provider) throws Exception {
        ClientTls named = tls("""
                { "caFile": "backend.test.pem", "serverName": "api.internal", "provider": "%s" }""".formatted(provider));
        assertThat(handshake(named, "127.0.0.1").isSuccess()).as("serverName not in the certificate").isFalse();
        ClientTls byAddress = tls("""
                { "caFile": "backend.test.pem", "provider": "%s" }""".formatted(provider));
        assertThat(handshake(byAddress, "127.0.0.1").isSuccess()).as("an IP the certificate has no IP SAN for").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void withoutVerificationAnyCertificateIsAccepted(String provider) throws Exception {
        serverNames.clear();
        ClientTls tls = tls("""
                { "caFile": "other.pem", "verify": false, "provider": "%s" }""".formatted(provider));
        assertThat(handshake(tls, "127.0.0.1").cause()).isNull();
        assertThat(serverNames.poll(5, TimeUnit.SECONDS)).as("no SNI for an IP address").isEmpty();
    }

    // ---- extensions to hang a config on ----------------------------------------------------

    static ExtensionRegistry registry() {
        return TlsConfigTest.registry().register(ExtensionKind.BALANCER, new First());
    }

    public static final class FirstBalancer implements Balancer {
        @Override
        public Endpoint pick(List<Endpoint> candidates, PickContext context) {
            return candidates.get(0);
        }
    }

    static final class First implements BalancerExtension<TlsConfigTest.NoConfig> {
        @Override
        public String type() {
            return ConfigLoader.DEFAULT_BALANCER;
        }

        @Override
        public Class<TlsConfigTest.NoConfig> configType() {
            return TlsConfigTest.NoConfig.class;
        }

        @Override
        public Class<? extends Balancer> implementation() {
            return FirstBalancer.class;
        }
    }
}
