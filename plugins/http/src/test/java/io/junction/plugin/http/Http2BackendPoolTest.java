package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.HttpProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Http2BackendPool} against a real Netty h2c server on 127.0.0.1. */
@Timeout(30)
class Http2BackendPoolTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private final ChannelGroup serverConnections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Channel server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        serverConnections.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Endpoint startServer(long maxConcurrentStreams) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted.incrementAndGet();
                        serverConnections.add(channel);
                        channel.closeFuture().addListener(f -> closed.incrementAndGet());
                        channel.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams)).build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return new TestEndpoint("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }

    private Http2BackendPool pool(Duration poolIdleTimeout) {
        return pool(poolIdleTimeout, null);
    }

    private Http2BackendPool pool(Duration poolIdleTimeout, BackendHttp2Config http2) {
        HttpProxyConfig config = new HttpProxyConfig(null, null, null, null, null, null, null, null, null, null, null, poolIdleTimeout,
                null, null, null, null, null, null, http2, null, null, null);
        HttpMetrics metrics = new HttpMetrics("p", registry, new HttpRoutes(List.of()));
        return new Http2BackendPool(config, new TestLoops(group), metrics);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private List<BackendConnection> acquire(Http2BackendPool pool, Endpoint endpoint, int n) throws Exception {
        List<Future<BackendConnection>> futures = onLoop(() -> {
            List<Future<BackendConnection>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.acquire(loop, endpoint, new TestUpstream("u", endpoint, HttpProtocol.HTTP_2)));
            }
            return all;
        });
        List<BackendConnection> streams = new ArrayList<>();
        for (Future<BackendConnection> future : futures) {
            streams.add(future.get(10, TimeUnit.SECONDS));
        }
        return streams;
    }

    private static Set<Channel> parents(List<BackendConnection> streams) {
        Set<Channel> parents = new HashSet<>();
        streams.forEach(s -> parents.add(s.channel().parent()));
        return parents;
    }

    private double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void fiftySimultaneousFirstRequestsShareOneConnection() throws Exception {
        Endpoint endpoint = startServer(100);
        Http2BackendPool pool = pool(Duration.ofSeconds(60));
        List<BackendConnection> streams = acquire(pool, endpoint, 50);
        assertThat(parents(streams)).hasSize(1);
        assertThat(accepted).hasValue(1);
        assertThat(counter("junction.http.backend.connections.opened")).isEqualTo(1);
        assertThat(counter("junction.http.backend.connections.reused")).isEqualTo(49);
    }

    @Test
    void aStreamEndsAndTheNextRequestGetsOneOnTheSameConnection() throws Exception {
        Endpoint endpoint = startServer(100);
        Http2BackendPool pool = pool(Duration.ofSeconds(60));
        BackendConnection first = acquire(pool, endpoint, 1).get(0);
        onLoop(() -> {
            first.release(false, 0, System.nanoTime());
            return null;
        });
        first.channel().closeFuture().await(5, TimeUnit.SECONDS);
        BackendConnection second = acquire(pool, endpoint, 1).get(0);
        assertThat(second.channel().parent()).isSameAs(first.channel().parent());
        assertThat(second.channel()).isNotSameAs(first.channel());
        assertThat(accepted).hasValue(1);
    }

    /** Opens a stream, ends it and waits until it is closed; returns its connection. */
    private Channel oneExchange(Http2BackendPool pool, Endpoint endpoint) throws Exception {
        BackendConnection stream = acquire(pool, endpoint, 1).get(0);
        onLoop(() -> {
            stream.release(false, 0, System.nanoTime());
            return null;
        });
        assertThat(stream.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        return stream.channel().parent();
    }

    @Test
    void byDefaultOneConnectionServesStreamsWithoutLimit() throws Exception {
        Endpoint endpoint = startServer(100);
        Http2BackendPool pool = pool(Duration.ofSeconds(60));
        Set<Channel> connections = new HashSet<>();
        for (int i = 0; i < 1100; i++) { // beyond HTTP/1.1's maxRequestsPerConnection default (1000)
            connections.add(oneExchange(pool, endpoint));
        }
        assertThat(connections).hasSize(1);
        assertThat(accepted).hasValue(1);
    }

    @Test
    void maxStreamsPerConnectionRetiresAConnectionAfterItsLastStream() throws Exception {
        Endpoint endpoint = startServer(100);
        Http2BackendPool pool = pool(Duration.ofSeconds(60), new BackendHttp2Config(null, null, null, 3));
        List<Channel> connections = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            connections.add(oneExchange(pool, endpoint));
        }
        assertThat(new HashSet<>(connections.subList(0, 3))).hasSize(1);
        assertThat(new HashSet<>(connections.subList(3, 6))).hasSize(1);
        assertThat(connections.get(3)).isNotSameAs(connections.get(0));
        assertThat(connections.get(6)).isNotSameAs(connections.get(3));
        assertThat(connections.get(0).closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(accepted).hasValue(3);
    }

    @Test
    void theBackendsStreamLimitOpensAnotherConnection() throws Exception {
        Endpoint endpoint = startServer(2);
        Http2BackendPool pool = pool(Duration.ofSeconds(60));
        List<BackendConnection> streams = acquire(pool, endpoint, 2);
        assertThat(parents(streams)).hasSize(1);
        streams.addAll(acquire(pool, endpoint, 3)); // the SETTINGS are known now: 2 per connection
        assertThat(parents(streams)).hasSize(3);
        assertThat(accepted).hasValue(3);
    }

    @Test
    void aFirstBurstBeyondTheBackendsLimitIsSpreadOnceItsSettingsArrive() throws Exception {
        Endpoint endpoint = startServer(2);
        Http2BackendPool pool = pool(Duration.ofSeconds(60));
        List<BackendConnection> streams = acquire(pool, endpoint, 5);
        assertThat(parents(streams)).hasSize(3);
    }

    @Test
    void aConnectionThatReceivedGoAwayTakesNoNewStreamsAndClosesWithItsLast() throws Exception {
        Endpoint endpoint = startServer(100);
        Http2BackendPool pool = pool(Duration.ofSeconds(60));
        BackendConnection first = acquire(pool, endpoint, 1).get(0);
        Channel firstParent = first.channel().parent();
        for (Channel connection : serverConnections) {
            connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR)).sync();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        BackendConnection second = null;
        while (System.nanoTime() < deadline) { // until the GOAWAY is read
            second = acquire(pool, endpoint, 1).get(0);
            if (second.channel().parent() != firstParent) {
                break;
            }
            BackendConnection extra = second;
            onLoop(() -> {
                extra.release(false, 0, System.nanoTime());
                return null;
            });
            Thread.sleep(10);
        }
        assertThat(second.channel().parent()).isNotSameAs(firstParent);
        assertThat(firstParent.isActive()).as("still has a stream").isTrue();
        onLoop(() -> {
            first.release(false, 0, System.nanoTime());
            return null;
        });
        assertThat(firstParent.closeFuture().await(5, TimeUnit.SECONDS)).as("closed with its last stream").isTrue();
    }

    @Test
    void aConnectionWithoutStreamsClosesAfterThePoolIdleTimeout() throws Exception {
        Endpoint endpoint = startServer(100);
        Http2BackendPool pool = pool(Duration.ofMillis(200));
        BackendConnection stream = acquire(pool, endpoint, 1).get(0);
        Channel parent = stream.channel().parent();
        onLoop(() -> {
            stream.release(false, 0, System.nanoTime());
            return null;
        });
        assertThat(parent.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (closed.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(closed).hasValue(1);
    }

    @Test
    void drainClosesIdleConnections() throws Exception {
        Endpoint endpoint = startServer(100);
        Http2BackendPool pool = pool(Duration.ofSeconds(60));
        BackendConnection stream = acquire(pool, endpoint, 1).get(0);
        Channel parent = stream.channel().parent();
        onLoop(() -> {
            stream.release(false, 0, System.nanoTime());
            return null;
        });
        stream.channel().closeFuture().await(5, TimeUnit.SECONDS);
        Thread.sleep(50); // the stream's close reaches the pool on the loop
        pool.closeIdle();
        assertThat(parent.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
    }
}
