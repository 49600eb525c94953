package io.junction.plugin.healthchecks;

import static io.junction.plugin.healthchecks.ProbeFixtures.LOOPBACK;
import static io.junction.plugin.healthchecks.ProbeFixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.junction.api.health.HealthCheckResult;
import io.junction.plugin.healthchecks.ProbeFixtures.NioEventLoops;
import io.junction.plugin.healthchecks.ProbeFixtures.RawBackend;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Probes a real grpc-java server (and a few servers that are not one) on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GrpcHealthCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static EventLoopGroup group;

    private Server server;

    @BeforeAll
    static void startEventLoops() {
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stopEventLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private InetSocketAddress startGrpc(HealthStatusManager health) throws Exception {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(LOOPBACK, 0));
        if (health != null) {
            builder.addService(health.getHealthService());
        }
        server = builder.build().start();
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    private static HealthCheckResult probe(GrpcHealthCheckConfig config, InetSocketAddress address) throws Exception {
        return probe(config, address, TIMEOUT);
    }

    private static HealthCheckResult probe(GrpcHealthCheckConfig config, InetSocketAddress address, Duration timeout) throws Exception {
        CompletionStage<HealthCheckResult> stage = new GrpcHealthCheck(config, new NioEventLoops(group)).check(endpoint(address), timeout);
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aServingServerPasses() throws Exception {
        InetSocketAddress address = startGrpc(new HealthStatusManager());

        assertThat(probe(new GrpcHealthCheckConfig(null, null), address)).isEqualTo(HealthCheckResult.pass("SERVING"));
    }

    @Test
    void aServingServicePasses() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("shop.v1.Orders", ServingStatus.SERVING);
        InetSocketAddress address = startGrpc(health);

        assertThat(probe(new GrpcHealthCheckConfig("shop.v1.Orders", "orders.internal"), address))
                .isEqualTo(HealthCheckResult.pass("SERVING"));
    }

    @Test
    void aNotServingServiceFails() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("shop.v1.Orders", ServingStatus.NOT_SERVING);
        InetSocketAddress address = startGrpc(health);

        assertThat(probe(new GrpcHealthCheckConfig("shop.v1.Orders", null), address)).isEqualTo(HealthCheckResult.fail("NOT_SERVING"));
        assertThat(probe(new GrpcHealthCheckConfig(null, null), address)).as("the server as a whole still serves").isEqualTo(
                HealthCheckResult.pass("SERVING"));
    }

    @Test
    void aServerShuttingDownFails() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        InetSocketAddress address = startGrpc(health);
        health.enterTerminalState();

        assertThat(probe(new GrpcHealthCheckConfig(null, null), address)).isEqualTo(HealthCheckResult.fail("NOT_SERVING"));
    }

    @Test
    void anUnknownServiceFails() throws Exception {
        InetSocketAddress address = startGrpc(new HealthStatusManager());

        assertThat(probe(new GrpcHealthCheckConfig("no.such.Service", null), address))
                .isEqualTo(HealthCheckResult.fail("grpc-status 5 (NOT_FOUND)"));
    }

    @Test
    void aServerWithoutTheHealthServiceFails() throws Exception {
        InetSocketAddress address = startGrpc(null);

        assertThat(probe(new GrpcHealthCheckConfig(null, null), address))
                .isEqualTo(HealthCheckResult.fail("grpc-status 12 (UNIMPLEMENTED)"));
    }

    @Test
    void aServerThatIsDownFails() throws Exception {
        assertThat(probe(new GrpcHealthCheckConfig(null, null), ProbeFixtures.deadAddress()))
                .isEqualTo(HealthCheckResult.fail("connect refused"));
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeoutAndTheProbeConnectionIsClosed() throws Exception {
        CompletableFuture<Boolean> closed = new CompletableFuture<>();
        try (RawBackend silent = new RawBackend(socket -> {
            socket.setSoTimeout(10_000);
            byte[] buffer = new byte[1024];
            while (socket.getInputStream().read(buffer) >= 0) {
                // swallow the preface, settings and the call
            }
            closed.complete(true);
        })) {
            long start = System.nanoTime();
            HealthCheckResult result = probe(new GrpcHealthCheckConfig(null, null), silent.address(), Duration.ofMillis(300));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(result).isEqualTo(HealthCheckResult.fail("timed out after 300ms"));
            assertThat(elapsedMs).isBetween(250L, 3_000L);
            assertThat(closed.get(5, TimeUnit.SECONDS)).as("the probe closed its connection").isTrue();
        }
    }

    @Test
    void anHttp1ServerFails() throws Exception {
        HttpServer http1 = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        http1.start();
        try {
            HealthCheckResult result = probe(new GrpcHealthCheckConfig(null, null), http1.getAddress());

            assertThat(result).isEqualTo(HealthCheckResult.fail("not an HTTP/2 (h2c) server"));
        } finally {
            http1.stop(0);
        }
    }

    @Test
    void anHttp2ServerThatIsNotGrpcFailsWithItsStatus() throws Exception {
        LinkedBlockingQueue<String> requests = new LinkedBlockingQueue<>();
        Channel h2c = startH2c(requests, new CompletableFuture<>(), true);
        try {
            InetSocketAddress address = (InetSocketAddress) h2c.localAddress();

            HealthCheckResult result = probe(new GrpcHealthCheckConfig(null, null), address, Duration.ofMillis(2500));

            assertThat(result).isEqualTo(HealthCheckResult.fail("http status 404"));
            assertThat(requests.poll(5, TimeUnit.SECONDS)).isEqualTo("POST /grpc.health.v1.Health/Check "
                    + address.getHostString() + ":" + address.getPort() + " application/grpc trailers 2500m");
        } finally {
            h2c.close().sync();
        }
    }

    @Test
    void anHttp2ServerThatTakesTheCallButNeverAnswersIsClosedAtTheTimeout() throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        Channel h2c = startH2c(new LinkedBlockingQueue<>(), closedAt, false);
        try {
            long start = System.nanoTime();
            HealthCheckResult result = probe(new GrpcHealthCheckConfig(null, null), (InetSocketAddress) h2c.localAddress(),
                    Duration.ofMillis(300));

            assertThat(result).isEqualTo(HealthCheckResult.fail("timed out after 300ms"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(closedAt.get(5, TimeUnit.SECONDS) - start))
                    .as("the probe connection closes at the timeout, not after a graceful HTTP/2 shutdown").isLessThan(2_000L);
        } finally {
            h2c.close().sync();
        }
    }

    /** A bare h2c server: records each request's headers and answers 404, or never answers. */
    private static Channel startH2c(LinkedBlockingQueue<String> requests, CompletableFuture<Long> closedAt, boolean answer)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.closeFuture().addListener(f -> closedAt.complete(System.nanoTime()));
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof Http2HeadersFrame) {
                                    Http2HeadersFrame request = (Http2HeadersFrame) msg;
                                    requests.add(request.headers().method() + " " + request.headers().path() + " "
                                            + request.headers().authority() + " " + request.headers().get("content-type") + " "
                                            + request.headers().get("te") + " " + request.headers().get("grpc-timeout"));
                                    if (answer) {
                                        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("404"), true)
                                                .stream(request.stream()));
                                    }
                                }
                                ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                })
                .bind(LOOPBACK, 0).sync().channel();
    }

    @Test
    void theExtensionDescribesTheCheck() {
        GrpcHealthCheckExtension extension = new GrpcHealthCheckExtension();

        assertThat(extension.type()).isEqualTo("grpc");
        assertThat(extension.configType()).isEqualTo(GrpcHealthCheckConfig.class);
        assertThat(extension.implementation()).isEqualTo(GrpcHealthCheck.class);
        assertThat(extension.description()).isNotBlank();
    }
}
