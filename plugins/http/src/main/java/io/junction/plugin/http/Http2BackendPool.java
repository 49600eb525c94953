package io.junction.plugin.http;

import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.Upstream;
import io.junction.api.upstream.UpstreamLimits;
import io.junction.api.upstream.UpstreamTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP/2 connections to the endpoints of upstreams whose {@code httpProtocol} is {@code "h2"}, kept per
 * event loop and endpoint like {@link BackendPool}'s (so no locks), each carrying many requests as
 * streams. A request gets a stream on the first connection with a free one — counting a connection still
 * being opened, so a burst of first requests shares it — and a new connection only when all are full.
 * Each stream is a channel of its own whose {@link BackendConnection} serves one exchange.
 */
final class Http2BackendPool {

    private final HttpProxyConfig config;
    private final EventLoops eventLoops;
    private final HttpMetrics metrics;
    private final Map<EventLoop, Map<Endpoint, List<PooledHttp2Connection>>> pools = new ConcurrentHashMap<>();

    Http2BackendPool(HttpProxyConfig config, EventLoops eventLoops, HttpMetrics metrics) {
        this.config = config;
        this.eventLoops = eventLoops;
        this.metrics = metrics;
    }

    /** A new stream to {@code endpoint} of {@code upstream} on {@code loop}, once its connection is usable. Call on {@code loop}. */
    Future<BackendConnection> acquire(EventLoop loop, Endpoint endpoint, Upstream upstream) {
        Map<Endpoint, List<PooledHttp2Connection>> pool = pools.get(loop);
        if (pool == null) {
            pool = pools.computeIfAbsent(loop, l -> new HashMap<>());
        }
        List<PooledHttp2Connection> connections = pool.computeIfAbsent(endpoint, e -> new ArrayList<>(2));
        UpstreamLimits breaker = upstream.limits();
        for (int i = 0; i < connections.size(); i++) {
            PooledHttp2Connection connection = connections.get(i);
            if (connection.hasFreeStream()) {
                return connection.newStream(breaker);
            }
        }
        if (!breaker.tryAcquire(UpstreamLimits.Resource.CONNECTION)) {
            return loop.newFailedFuture(new UpstreamOverflow(UpstreamLimits.Resource.CONNECTION));
        }
        PooledHttp2Connection connection = new PooledHttp2Connection(this, connections, endpoint, upstream, loop);
        Future<BackendConnection> stream = connection.newStream(breaker); // before connecting: a failure must find it waiting
        if (stream.isDone() && !stream.isSuccess()) { // no PENDING slot: nothing to open the connection for
            breaker.release(UpstreamLimits.Resource.CONNECTION);
            return stream;
        }
        connections.add(connection);
        connect(connection, endpoint, upstream.tls().orElse(null), loop, breaker);
        return stream;
    }

    private void connect(PooledHttp2Connection connection, Endpoint endpoint, UpstreamTls tls, EventLoop loop, UpstreamLimits breaker) {
        BackendHttp2Config http2 = config.backendHttp2();
        Http2Settings settings = new Http2Settings().pushEnabled(false).initialWindowSize((int) http2.initialStreamWindow().bytes())
                .maxHeaderListSize(config.maxHeaderSize().bytes());
        BackendPool.bootstrap(loop, eventLoops, config, endpoint.address())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        BackendPool.addTls(channel, tls, endpoint, config, "http2-backend-tls");
                        // Closing sends GOAWAY; the pool closes a connection only once its streams are done.
                        Http2FrameCodec codec = Http2Codecs.client().initialSettings(settings)
                                .gracefulShutdownTimeoutMillis(0).build();
                        // The streams' requests flushed in one event loop pass leave in one write.
                        channel.pipeline().addLast("http2-backend-flush",
                                        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                                .addLast("http2-backend-codec", codec)
                                .addLast("http2-backend-goaway", connection.goAwayWatcher())
                                .addLast("http2-backend-streams", new Http2MultiplexHandler(RefuseStreams.INSTANCE))
                                .addLast("http2-backend", connection);
                    }
                })
                .connect(endpoint.address())
                .addListener((ChannelFutureListener) f -> {
                    f.channel().closeFuture().addListener(closed -> breaker.release(UpstreamLimits.Resource.CONNECTION));
                    if (f.isSuccess()) {
                        endpoint.track(f.channel());
                    } else {
                        connection.failed(f.cause());
                    }
                });
    }

    /** Closes every connection without streams (drain); each tells its backend with GOAWAY. */
    void closeIdle() {
        for (Map.Entry<EventLoop, Map<Endpoint, List<PooledHttp2Connection>>> entry : pools.entrySet()) {
            Map<Endpoint, List<PooledHttp2Connection>> pool = entry.getValue();
            entry.getKey().execute(() -> {
                for (List<PooledHttp2Connection> connections : pool.values()) {
                    for (PooledHttp2Connection connection : List.copyOf(connections)) {
                        connection.closeIfIdle();
                    }
                }
            });
        }
    }

    HttpProxyConfig config() {
        return config;
    }

    HttpMetrics metrics() {
        return metrics;
    }

    /** Streams the backend opens (server push is off, so none should come): refused by closing them. */
    @ChannelHandler.Sharable
    static final class RefuseStreams extends ChannelInboundHandlerAdapter {

        static final RefuseStreams INSTANCE = new RefuseStreams();

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }
}
