package io.junction.plugin.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.upstream.Endpoint;
import io.junction.plugin.tcp.ProxyFixtures.TestEndpoint;
import io.junction.plugin.tcp.ProxyFixtures.TestEventLoops;
import io.junction.plugin.tcp.ProxyFixtures.TestPipeline;
import io.junction.plugin.tcp.ProxyFixtures.TestUpstream;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forwards real TCP connections through {@link TcpProxyHandler} on 127.0.0.1: a Netty server whose
 * accepted channels the handler initialises, in front of blocking {@link ServerSocket} backends.
 * Every socket has a read timeout and every test a time limit, so nothing can hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpProxyHandlerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SOCKET_TIMEOUT_MS = 10_000;

    private static EventLoopGroup group;

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy-test");
        t.setDaemon(true);
        return t;
    });
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>(); // backend threads add too

    @BeforeAll
    static void startEventLoops() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stopEventLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("test threads ended").isTrue();
    }

    // (a)
    @Test
    void twentyMegabytesRoundTripThroughAnEchoBackend() throws Exception {
        Backend backend = startBackend(TcpProxyHandlerTest::echo);
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), TestEndpoint.at(backend.address()));
        int size = 20 * 1024 * 1024;

        try (Socket client = connect(proxy)) {
            Future<byte[]> sent = threads.submit(() -> {
                MessageDigest digest = sha256();
                Random random = new Random(42);
                byte[] chunk = new byte[64 * 1024];
                OutputStream out = client.getOutputStream();
                for (int written = 0; written < size; written += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                    digest.update(chunk);
                }
                out.flush();
                client.shutdownOutput();
                return digest.digest();
            });

            MessageDigest received = sha256();
            long count = 0;
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.update(buffer, 0, n);
                count += n;
            }

            assertThat(count).isEqualTo(size);
            assertThat(received.digest()).isEqualTo(sent.get(30, TimeUnit.SECONDS));
        }
        assertThat(backend.failures()).isEmpty();
    }

    // (b)
    @Test
    void halfCloseIsPassedOnAndTheResponseStillArrives() throws Exception {
        byte[] response = pattern(1024 * 1024);
        CompletableFuture<byte[]> requestSeen = new CompletableFuture<>();
        Backend backend = startBackend(socket -> {
            byte[] request = socket.getInputStream().readAllBytes(); // to EOF: needs the client's FIN
            requestSeen.complete(request);
            socket.getOutputStream().write(response);
            socket.close();
        });
        TestEndpoint endpoint = TestEndpoint.at(backend.address());
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), endpoint);
        byte[] request = "GET / please, then I am done sending\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);

        try (Socket client = connect(proxy)) {
            client.getOutputStream().write(request);
            client.shutdownOutput();

            byte[] received = client.getInputStream().readAllBytes();

            assertThat(received).isEqualTo(response);
        }
        assertThat(requestSeen.get(5, TimeUnit.SECONDS)).isEqualTo(request);
        assertThat(endpoint.tracked()).hasValue(1);
        assertThat(backend.failures()).isEmpty();
    }

    @Test
    void backendHalfCloseLetsTheClientKeepSending() throws Exception {
        CompletableFuture<byte[]> requestSeen = new CompletableFuture<>();
        Backend backend = startBackend(socket -> {
            socket.getOutputStream().write("greeting\n".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            requestSeen.complete(socket.getInputStream().readAllBytes());
            socket.close();
        });
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), TestEndpoint.at(backend.address()));

        try (Socket client = connect(proxy)) {
            assertThat(client.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("greeting\n");
            client.getOutputStream().write("still talking".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(requestSeen.get(5, TimeUnit.SECONDS)).asString(StandardCharsets.US_ASCII).isEqualTo("still talking");
        }
        assertThat(backend.failures()).isEmpty();
    }

    // (c)
    @Test
    void aDeadEndpointIsSkippedForTheNextOne() throws Exception {
        Backend backend = startBackend(TcpProxyHandlerTest::echo);
        TestEndpoint dead = TestEndpoint.at(deadAddress());
        TestEndpoint live = TestEndpoint.at(backend.address());
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), dead, live);

        try (Socket client = connect(proxy)) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            assertThat(client.getInputStream().readAllBytes()).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
        }
        assertThat(dead.connectFailures()).hasSize(1);
        assertThat(dead.tracked()).hasValue(0);
        assertThat(live.connectFailures()).isEmpty();
        assertThat(live.tracked()).hasValue(1);
    }

    @Test
    void theClientIsClosedWhenTheAttemptsRunOut() throws Exception {
        TestEndpoint dead1 = TestEndpoint.at(deadAddress());
        TestEndpoint dead2 = TestEndpoint.at(deadAddress());
        TestEndpoint dead3 = TestEndpoint.at(deadAddress());
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, 2, null, null, null), dead1, dead2, dead3);

        try (Socket client = connect(proxy)) {
            assertThat(readToEnd(client.getInputStream())).isEqualTo(-1);
        }
        assertThat(dead1.connectFailures()).hasSize(1);
        assertThat(dead2.connectFailures()).hasSize(1);
        assertThat(dead3.connectFailures()).as("beyond connectAttempts").isEmpty();
    }

    @Test
    void theClientIsClosedWhenNoEndpointIsLeft() throws Exception {
        TestEndpoint dead = TestEndpoint.at(deadAddress());
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), dead);

        try (Socket client = connect(proxy)) {
            assertThat(readToEnd(client.getInputStream())).isEqualTo(-1);
        }
        assertThat(dead.connectFailures()).hasSize(1);
    }

    // (d)
    @Test
    void aBackendThatDoesNotReadStallsTheClient() throws Exception {
        CountDownLatch startReading = new CountDownLatch(1);
        CompletableFuture<Long> backendReceived = new CompletableFuture<>();
        // Small fixed kernel buffers (no autotuning) wherever the test controls them, so what the
        // client gets to write is bounded by what the proxy holds, not by how far the kernel grows
        // buffers (tcp_rmem allows 32MB on some hosts). Without backpressure the proxy would take
        // all 64MB at once.
        Backend backend = startBackend(64 * 1024, socket -> {
            if (!startReading.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never told to read");
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long count = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != patternByte(count + i)) {
                        throw new IllegalStateException("byte " + (count + i) + " corrupted");
                    }
                }
                count += n;
            }
            backendReceived.complete(count);
            socket.close();
        });
        TestEndpoint endpoint = TestEndpoint.at(backend.address());
        InetSocketAddress proxy = startProxy(64 * 1024, new TcpProxyConfig(null, null, null, null, null, null), endpoint);
        long limit = 64L * 1024 * 1024;

        long written = 0;
        long lastProgress;
        try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            client.connect(proxy);
            client.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long start = System.nanoTime();
            lastProgress = start;
            long deadline = start + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline && written < limit) {
                if (!chunk.hasRemaining()) {
                    chunk.clear();
                }
                if (chunk.position() == 0) {
                    for (int i = 0; i < chunk.capacity(); i++) {
                        chunk.put(i, patternByte(written + i));
                    }
                }
                int n = client.write(chunk);
                if (n > 0) {
                    written += n;
                    lastProgress = System.nanoTime();
                } else {
                    Thread.sleep(5);
                }
            }
            long stalledFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgress);

            assertThat(written).as("bytes accepted while the backend does not read").isPositive().isLessThan(16L * 1024 * 1024);
            assertThat(stalledFor).as("ms since the client could last write").isGreaterThanOrEqualTo(500);

            // Once the backend reads, every byte written arrives, in order.
            startReading.countDown();
            client.configureBlocking(true);
            client.shutdownOutput();
            assertThat(backendReceived.get(20, TimeUnit.SECONDS)).isEqualTo(written);
        }
        assertThat(backend.failures()).isEmpty();
    }

    // (e)
    @Test
    void aClientResetEndsTheBackendConnection() throws Exception {
        CompletableFuture<String> backendSaw = new CompletableFuture<>();
        CountDownLatch greeted = new CountDownLatch(1);
        Backend backend = startBackend(socket -> {
            socket.setSoTimeout(5_000);
            InputStream in = socket.getInputStream();
            if (in.read() != 'x') {
                throw new IllegalStateException("expected the client's first byte");
            }
            greeted.countDown();
            try {
                backendSaw.complete(readToEnd(in) == -1 ? "eof" : "data");
            } catch (SocketTimeoutException e) {
                backendSaw.complete("timeout");
            } catch (SocketException e) {
                backendSaw.complete("reset");
            }
        });
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), TestEndpoint.at(backend.address()));

        Socket client = connect(proxy);
        client.getOutputStream().write('x');
        assertThat(greeted.await(5, TimeUnit.SECONDS)).as("backend connected").isTrue();
        client.setSoLinger(true, 0);
        client.close();

        assertThat(backendSaw.get(10, TimeUnit.SECONDS)).isIn("eof", "reset");
    }

    @Test
    void aBackendResetEndsTheClientConnection() throws Exception {
        Backend backend = startBackend(socket -> {
            if (socket.getInputStream().read() != 'x') {
                throw new IllegalStateException("expected the client's first byte");
            }
            socket.setSoLinger(true, 0);
            socket.close();
        });
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), TestEndpoint.at(backend.address()));

        try (Socket client = connect(proxy)) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write('x');
            String seen;
            try {
                seen = readToEnd(client.getInputStream()) == -1 ? "eof" : "data";
            } catch (SocketTimeoutException e) {
                seen = "timeout";
            } catch (SocketException e) {
                seen = "reset";
            }
            assertThat(seen).isIn("eof", "reset");
        }
    }

    @Test
    void anIdleConnectionIsClosedOnBothSides() throws Exception {
        CompletableFuture<Integer> backendRead = new CompletableFuture<>();
        Backend backend = startBackend(socket -> {
            socket.setSoTimeout(5_000);
            backendRead.complete(socket.getInputStream().read());
        });
        TestEndpoint endpoint = TestEndpoint.at(backend.address());
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, Duration.ofMillis(300), null, null, null, null), endpoint);

        try (Socket client = connect(proxy)) {
            client.setSoTimeout(5_000);
            long start = System.nanoTime();
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 4_000L);
        }
        assertThat(backendRead.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void theBackendConnectionIsTrackedUntilItCloses() throws Exception {
        Backend backend = startBackend(TcpProxyHandlerTest::echo);
        TestEndpoint endpoint = TestEndpoint.at(backend.address());
        InetSocketAddress proxy = startProxy(new TcpProxyConfig(null, null, null, null, null, null), endpoint);

        try (Socket client = connect(proxy)) {
            client.getOutputStream().write('x');
            assertThat(client.getInputStream().read()).isEqualTo('x');
            assertThat(endpoint.activeConnections()).isEqualTo(1);
            client.shutdownOutput();
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (endpoint.activeConnections() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(endpoint.activeConnections()).isZero();
        assertThat(endpoint.tracked()).hasValue(1);
    }

    // --- fixtures

    private InetSocketAddress startProxy(TcpProxyConfig config, Endpoint... endpoints) {
        return startProxy(0, config, endpoints);
    }

    /** As {@link #startProxy(TcpProxyConfig, Endpoint...)}, with a fixed receive buffer on accepted channels when not 0. */
    private InetSocketAddress startProxy(int childReceiveBufferSize, TcpProxyConfig config, Endpoint... endpoints) {
        TcpProxyHandler handler = new TcpProxyHandler(config, TestPipeline.to(new TestUpstream("backends", List.of(endpoints))),
                new TestEventLoops(group), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class);
        if (childReceiveBufferSize > 0) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, childReceiveBufferSize);
        }
        Channel server = bootstrap
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handler.initChannel(ch);
                    }
                })
                .bind(LOOPBACK, 0).syncUninterruptibly().channel();
        closeables.add(() -> server.close().syncUninterruptibly());
        return (InetSocketAddress) server.localAddress();
    }

    @FunctionalInterface
    interface Conversation {
        void handle(Socket socket) throws Exception;
    }

    /** A blocking backend on 127.0.0.1 that runs {@code conversation} on each accepted connection. */
    private Backend startBackend(Conversation conversation) throws IOException {
        return startBackend(0, conversation);
    }

    /** As {@link #startBackend(Conversation)}, with a fixed receive buffer size when not 0. */
    private Backend startBackend(int receiveBufferSize, Conversation conversation) throws IOException {
        ServerSocket server = new ServerSocket();
        closeables.add(server);
        if (receiveBufferSize > 0) {
            server.setReceiveBufferSize(receiveBufferSize); // inherited by accepted sockets
        }
        server.bind(new InetSocketAddress(LOOPBACK, 0), 50);
        closeables.add(server);
        Backend backend = new Backend(server, new LinkedBlockingQueue<>());
        threads.execute(() -> {
            while (!server.isClosed()) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    return; // closed
                }
                closeables.add(socket);
                threads.execute(() -> {
                    try (socket) {
                        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
                        conversation.handle(socket);
                    } catch (Exception e) {
                        backend.failures().add(e);
                    }
                });
            }
        });
        return backend;
    }

    private record Backend(ServerSocket server, BlockingQueue<Exception> failures) {
        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }
    }

    private static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        socket.shutdownOutput();
    }

    private Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        closeables.add(socket);
        socket.connect(address, SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        return socket;
    }

    /** An address on 127.0.0.1 that refuses connections: a port that was bound and closed again. */
    private static InetSocketAddress deadAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    /** Reads and discards until the stream ends; returns -1 then. Bounded by the socket's timeout. */
    private static int readToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            // discard
        }
        return n;
    }

    private static byte patternByte(long offset) {
        return (byte) (offset % 251);
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = patternByte(i);
        }
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
