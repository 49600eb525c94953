package io.junction.plugin.http;

import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.junction.plugin.http.codec.HttpLimits;
import io.junction.plugin.http.codec.ResponseDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to endpoints, pooled per event loop and endpoint, so that a request is
 * sent on its client connection's own thread and a pool is touched by one thread only (no locks).
 * Each pool keeps at most {@code maxIdlePerEndpoint} idle connections, most recently used first.
 */
final class BackendPool {

    private final HttpProxyConfig config;
    private final EventLoops eventLoops;
    private final HttpLimits limits;
    private final HttpMetrics metrics;
    private final Map<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();

    BackendPool(HttpProxyConfig config, EventLoops eventLoops, HttpLimits limits, HttpMetrics metrics) {
        this.config = config;
        this.eventLoops = eventLoops;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** A connection to {@code endpoint} on {@code loop}: an idle pooled one, or a new one. Call on {@code loop}. */
    Future<BackendConnection> acquire(EventLoop loop, Endpoint endpoint, String upstream) {
        LoopPool pool = pools.computeIfAbsent(loop, LoopPool::new);
        BackendConnection idle = pool.poll(endpoint);
        if (idle != null) {
            metrics.backendReused(upstream);
            return loop.newSucceededFuture(idle);
        }
        Promise<BackendConnection> promise = loop.newPromise();
        ResponseDecoder decoder = new ResponseDecoder(limits);
        BackendConnection connection = new BackendConnection(endpoint, pool, decoder);
        new Bootstrap()
                .group(loop)
                .channel(eventLoops.socketChannelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // Bytes that stop moving mid-exchange (a stalled body either way) end it; see BackendConnection.
                        long idle = config.responseTimeout().toMillis();
                        channel.pipeline().addLast("http-backend-idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS))
                                .addLast("http-response-decoder", decoder).addLast("http-backend", connection);
                    }
                })
                .connect(endpoint.address())
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        endpoint.track(f.channel());
                        metrics.backendOpened(upstream);
                        promise.setSuccess(connection);
                    } else {
                        promise.setFailure(f.cause());
                    }
                });
        return promise;
    }

    /** Closes every idle pooled connection (drain). */
    void closeIdle() {
        for (Map.Entry<EventLoop, LoopPool> entry : pools.entrySet()) {
            entry.getKey().execute(entry.getValue()::closeAll);
        }
    }

    /** The idle connections of one event loop; only ever touched from that loop. */
    final class LoopPool {

        private final Map<Endpoint, ArrayDeque<BackendConnection>> idle = new HashMap<>();

        LoopPool(EventLoop loop) {
        }

        BackendConnection poll(Endpoint endpoint) {
            ArrayDeque<BackendConnection> queue = idle.get(endpoint);
            while (queue != null && !queue.isEmpty()) {
                BackendConnection connection = queue.pollFirst();
                if (connection.channel().isActive()) {
                    return connection;
                }
            }
            return null;
        }

        boolean offer(BackendConnection connection) {
            ArrayDeque<BackendConnection> queue = idle.computeIfAbsent(connection.endpoint(), e -> new ArrayDeque<>());
            if (queue.size() >= config.maxIdlePerEndpoint()) {
                return false;
            }
            queue.addFirst(connection);
            return true;
        }

        void remove(BackendConnection connection) {
            ArrayDeque<BackendConnection> queue = idle.get(connection.endpoint());
            if (queue != null) {
                queue.remove(connection);
            }
        }

        long idleTimeoutMillis() {
            return config.poolIdleTimeout().toMillis();
        }

        void closeAll() {
            for (ArrayDeque<BackendConnection> queue : idle.values()) {
                for (BackendConnection connection; (connection = queue.pollFirst()) != null; ) {
                    connection.channel().close();
                }
            }
        }
    }
}
