package io.junction.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.api.filter.ConnectionFilter;
import io.junction.api.protocol.ConnectionAddresses;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.runtime.config.ConfigError;
import io.junction.runtime.config.HostPort;
import io.junction.runtime.config.LimitsSection;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.listener.ListenSockets;
import io.junction.runtime.listener.PipelineListener;
import io.junction.runtime.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real {@link PipelineListener} on loopback with TLS, both providers, and JDK clients: certificate
 * choice by SNI, ALPN seen by the protocol, failures closed and counted, and TLS placed after the
 * PROXY protocol header and the connection filters.
 */
@Timeout(60)
class TlsTerminationTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair api;
    static TestCertificates.Pair fallback;

    private final MeterRegistry metrics = new SimpleMeterRegistry();
    /** A client of its own per connection: the JDK resumes a cached session, and with it that session's server name. */
    private SSLContext client() throws Exception {
        return TlsClients.trusting(api.certificate(), fallback.certificate());
    }

    private Transport transport;
    private PipelineListener listener;
    private ListenSockets sockets;

    @BeforeAll
    static void certificates() throws Exception {
        api = TestCertificates.create(dir, "api");
        fallback = TestCertificates.create(dir, "default");
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            sockets.closeAll();
            listener.drain();
            listener.closeAll();
        }
        if (transport != null) {
            transport.close();
        }
    }

    /** Starts a pipeline whose protocol answers the first bytes with what it knows of the connection, then closes. */
    private InetSocketAddress start(String provider, Duration handshakeTimeout, boolean proxyProtocol, ConnectionFilter... filters) {
        TlsSection section = new TlsSection(List.of(
                new TlsCertificateSection(api.cert().getFileName().toString(), api.key().getFileName().toString(),
                        List.of("api.example.com")),
                new TlsCertificateSection(fallback.cert().getFileName().toString(), fallback.key().getFileName().toString(), null)),
                null, null, handshakeTimeout, provider);
        List<ConfigError> errors = new ArrayList<>();
        ServerTls tls = ServerTlsLoader.load(section, "tls", dir, errors).orElseThrow(() -> new AssertionError(errors));
        assertThat(tls.provider()).startsWith(provider.equals("jdk") ? "JDK" : "OpenSSL");
        LoadedConfig.Pipeline config = new LoadedConfig.Pipeline("p", "pipelines[0]", List.of(new HostPort("127.0.0.1", 0)),
                proxyProtocol, LimitsSection.DEFAULT, tls, null, List.of(), List.of());
        transport = Transport.start(1, false);
        listener = new PipelineListener(config, new Reporter(), List.of(filters), metrics);
        sockets = new ListenSockets(transport);
        List<String> problems = new ArrayList<>();
        ListenSockets.Binding binding = sockets.bind(listener.wanted(), problems);
        assertThat(problems).isEmpty();
        sockets.commit(binding);
        return binding.addressesOf(listener).get(0);
    }

    /** The protocol: answers the first request with whether the connection is TLS, the ALPN result and the client address. */
    static final class Reporter implements ProtocolHandler {
        @Override
        public void initChannel(Channel channel) {
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                    String answer = "tls=" + (ssl != null) + " alpn=" + (ssl == null ? null : ssl.applicationProtocol())
                            + " client=" + ConnectionAddresses.of(ctx.channel()).client() + "\n";
                    ctx.writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
                }
            });
        }
    }

    private static String exchange(SSLSocket socket) throws IOException {
        try (socket) {
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return TlsClients.readAll(socket.getInputStream());
        }
    }

    private static String subject(SSLSocket socket) throws IOException {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private double failures(String reason) {
        return metrics.counter("junction.pipeline.tls.handshake.failures", "pipeline", "p", "reason", reason).count();
    }

    private void awaitFailures(String reason, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (failures(reason) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(failures(reason)).as("failures with reason %s", reason).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void sniPicksTheCertificateAndTheProtocolSeesPlaintextAndAlpn(String provider) throws Exception {
        InetSocketAddress address = start(provider, Duration.ofSeconds(10), false);

        SSLSocket named = TlsClients.handshake(client(), TlsClients.connect(address), "api.example.com", "h2", "http/1.1");
        assertThat(subject(named)).isEqualTo("CN=api");
        assertThat(named.getApplicationProtocol()).isEqualTo("http/1.1");
        assertThat(exchange(named)).startsWith("tls=true alpn=http/1.1 client=/127.0.0.1:");

        SSLSocket unknown = TlsClients.handshake(client(), TlsClients.connect(address), "other.example.net");
        assertThat(subject(unknown)).isEqualTo("CN=default");
        assertThat(unknown.getApplicationProtocol()).as("no ALPN offered, none chosen").isEmpty();
        assertThat(exchange(unknown)).startsWith("tls=true alpn=null");

        SSLSocket none = TlsClients.handshake(client(), TlsClients.connect(address), null);
        assertThat(subject(none)).isEqualTo("CN=default");
        exchange(none);

        for (String reason : List.of("not-tls", "timeout", "closed", "handshake")) {
            assertThat(failures(reason)).as(reason).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void plaintextIsClosedAndCounted(String provider) throws Exception {
        InetSocketAddress address = start(provider, Duration.ofSeconds(10), false);
        try (Socket socket = TlsClients.connect(address)) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntilClosed(socket.getInputStream())).as("no HTTP answer").doesNotContain("HTTP/1.1", "tls=");
        }
        awaitFailures("not-tls", 1);
        assertThat(failures("handshake")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aTls11ClientIsRefusedAndCounted(String provider) throws Exception {
        InetSocketAddress address = start(provider, Duration.ofSeconds(10), false);
        try (Socket socket = TlsClients.connect(address)) {
            socket.getOutputStream().write(TlsClients.tls11ClientHello());
            byte[] answer = readUntilClosed(socket.getInputStream()).getBytes(StandardCharsets.ISO_8859_1);
            if (answer.length > 0) {
                assertThat(answer[0]).as("an alert record, if anything").isEqualTo((byte) 0x15);
            }
        }
        awaitFailures("handshake", 1);
        // And the JDK's own client, limited to TLS 1.2, still gets in: the refusal was about the version.
        SSLSocket tls12 = (SSLSocket) client().getSocketFactory().createSocket(TlsClients.connect(address), "127.0.0.1",
                address.getPort(), true);
        tls12.setEnabledProtocols(new String[] {"TLSv1.2"});
        tls12.startHandshake();
        assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(exchange(tls12)).startsWith("tls=true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aSilentClientIsClosedAfterTheHandshakeTimeout(String provider) throws Exception {
        InetSocketAddress address = start(provider, Duration.ofMillis(300), false);
        long start = System.nanoTime();
        try (Socket socket = TlsClients.connect(address)) {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        awaitFailures("timeout", 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aClientThatLeavesMidHandshakeIsCountedAsClosed(String provider) throws Exception {
        InetSocketAddress address = start(provider, Duration.ofSeconds(10), false);
        javax.net.ssl.SSLEngine engine = client().createSSLEngine("127.0.0.1", address.getPort());
        engine.setUseClientMode(true);
        java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(java.nio.ByteBuffer.allocate(0), hello);
        try (Socket socket = TlsClients.connect(address)) {
            socket.getOutputStream().write(hello.array(), 0, hello.position());
            assertThat(socket.getInputStream().read()).as("the server answers the ClientHello").isEqualTo(0x16);
        }
        awaitFailures("closed", 1);
        assertThat(failures("handshake")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void theProxyHeaderComesBeforeTheClientHello(String provider) throws Exception {
        InetSocketAddress address = start(provider, Duration.ofSeconds(10), true);
        Socket socket = TlsClients.connect(address);
        OutputStream out = socket.getOutputStream();
        out.write("PROXY TCP4 198.51.100.7 127.0.0.1 40000 443\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        SSLSocket tls = TlsClients.handshake(client(), socket, "api.example.com");
        assertThat(subject(tls)).isEqualTo("CN=api");
        assertThat(exchange(tls)).startsWith("tls=true").contains("client=/198.51.100.7:40000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk"})
    void connectionFiltersRunBeforeTheHandshake(String provider) throws Exception {
        InetSocketAddress address = start(provider, Duration.ofSeconds(10), false, channel -> false);
        Socket socket = TlsClients.connect(address);
        assertThatThrownBy(() -> TlsClients.handshake(client(), socket, "api.example.com")).isInstanceOf(IOException.class);
        Thread.sleep(200);
        assertThat(metrics.counter("junction.pipeline.connections.refused", "pipeline", "p").count()).isEqualTo(1);
        for (String reason : List.of("not-tls", "timeout", "closed", "handshake")) {
            assertThat(failures(reason)).as("no TLS was attempted: %s", reason).isZero();
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException reset) {
            return "";
        }
    }
}
