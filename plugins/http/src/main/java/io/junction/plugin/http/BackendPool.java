package io.junction.plugin.http;

import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.HttpProtocol;
import io.junction.api.upstream.Upstream;
import io.junction.api.upstream.UpstreamLimits;
import io.junction.api.upstream.UpstreamTls;
import io.junction.plugin.http.codec.HttpLimits;
import io.junction.plugin.http.codec.ResponseDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keep-alive connections to endpoints, pooled per event loop and endpoint, so that a request is
 * sent on its client connection's own thread and a pool is touched by one thread only (no locks).
 * Each pool keeps at most {@code maxIdlePerEndpoint} idle connections, most recently used first.
 * Pools are keyed by {@link Endpoint}: each upstream has endpoint objects of its own, so a TLS
 * connection is never handed to a plain upstream or the other way round.
 */
final class BackendPool {

    private final HttpProxyConfig config;
    private final EventLoops eventLoops;
    private final HttpLimits limits;
    private final HttpMetrics metrics;
    private final Map<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
    private final Http2BackendPool http2;
    private volatile boolean draining;

    BackendPool(HttpProxyConfig config, EventLoops eventLoops, HttpLimits limits, HttpMetrics metrics) {
        this.config = config;
        this.eventLoops = eventLoops;
        this.limits = limits;
        this.metrics = metrics;
        this.http2 = new Http2BackendPool(config, eventLoops, metrics);
        BackendPools.add(this);
    }

    /**
     * A connection to {@code endpoint} of {@code upstream} on {@code loop}: an idle pooled one, or a new
     * one — over TLS, once its handshake succeeded, when the upstream has {@link Upstream#tls()}.
     * Call on {@code loop}.
     */
    Future<BackendConnection> acquire(EventLoop loop, Endpoint endpoint, Upstream upstream) {
        if (upstream.httpProtocol() == HttpProtocol.HTTP_2) { // a stream of a shared connection
            return http2.acquire(loop, endpoint, upstream);
        }
        return acquire(loop, endpoint, upstream, true);
    }

    private Future<BackendConnection> acquire(EventLoop loop, Endpoint endpoint, Upstream upstream, boolean mayEvict) {
        String upstreamName = upstream.name();
        UpstreamTls tls = upstream.tls().orElse(null);
        LoopPool pool = pools.get(loop);
        if (pool == null) { // once per event loop; computeIfAbsent alone would allocate a lambda per request
            pool = pools.computeIfAbsent(loop, l -> new LoopPool());
        }
        BackendConnection idle = pool.poll(endpoint);
        if (idle != null) {
            metrics.backendReused(upstreamName);
            return loop.newSucceededFuture(idle);
        }
        UpstreamLimits breaker = upstream.limits();
        if (!breaker.tryAcquire(UpstreamLimits.Resource.PENDING)) {
            return loop.newFailedFuture(new UpstreamOverflow(UpstreamLimits.Resource.PENDING));
        }
        if (!breaker.tryAcquire(UpstreamLimits.Resource.CONNECTION)) {
            breaker.release(UpstreamLimits.Resource.PENDING);
            Future<?> evicted = mayEvict ? evictIdle(upstream) : null;
            if (evicted == null) {
                return loop.newFailedFuture(new UpstreamOverflow(UpstreamLimits.Resource.CONNECTION));
            }
            // An idle connection (another loop's or pipeline's, or one to another endpoint) held the slot: once it is
            // closed, try again. No idle connection of this upstream anywhere: refused as it is (counted once).
            Promise<BackendConnection> retried = loop.newPromise();
            evicted.addListener(done -> {
                if (done.isSuccess()) {
                    loop.execute(() -> acquire(loop, endpoint, upstream, false).addListener(new PromiseNotifier<>(retried)));
                } else {
                    retried.tryFailure(done.cause());
                }
            });
            return retried;
        }
        Promise<BackendConnection> promise = loop.newPromise();
        promise.addListener(f -> breaker.release(UpstreamLimits.Resource.PENDING));
        ResponseDecoder decoder = new BackendResponseDecoder(limits);
        BackendConnection connection = new BackendConnection(endpoint, pool, decoder, config.responseTimeout().toMillis(),
                metrics.idleBackendConnections(upstreamName));
        bootstrap(loop, eventLoops, config, endpoint.address())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        addTls(channel, tls, endpoint, config, "http-backend-tls");
                        // Bytes that stop moving mid-exchange (a stalled body either way) end it: BackendConnection's timer.
                        channel.pipeline().addLast("http-response-decoder", decoder).addLast("http-backend", connection);
                    }
                })
                .connect(endpoint.address())
                .addListener((ChannelFutureListener) f -> {
                    f.channel().closeFuture().addListener(closed -> breaker.release(UpstreamLimits.Resource.CONNECTION));
                    if (!f.isSuccess()) {
                        promise.setFailure(f.cause());
                        return;
                    }
                    endpoint.track(f.channel());
                    SslHandler ssl = tls == null ? null : f.channel().pipeline().get(SslHandler.class);
                    if (ssl == null) {
                        opened(connection, upstreamName, promise);
                        return;
                    }
                    ssl.handshakeFuture().addListener(handshake -> {
                        if (handshake.isSuccess()) {
                            opened(connection, upstreamName, promise);
                        } else {
                            f.channel().close();
                            promise.setFailure(handshake.cause());
                        }
                    });
                });
        return promise;
    }

    /**
     * A bootstrap for a backend connection to {@code remote} on {@code loop}: the runtime's transport
     * (a socket of the address's family) and the pool's connect timeout.
     */
    static Bootstrap bootstrap(EventLoop loop, EventLoops eventLoops, HttpProxyConfig config, SocketAddress remote) {
        return new Bootstrap()
                .group(loop)
                .channelFactory(eventLoops.socketChannelFactory(remote))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis());
    }

    /**
     * With the upstream's TLS ({@code tls} not null), puts its handler first in a new backend channel, so that
     * everything after it reads and writes plaintext; the handshake has the connect timeout.
     */
    static void addTls(Channel channel, UpstreamTls tls, Endpoint endpoint, HttpProxyConfig config, String name) {
        if (tls != null) {
            SslHandler ssl = tls.newHandler(channel.alloc(), endpoint);
            ssl.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
            channel.pipeline().addLast(name, ssl);
        }
    }

    private void opened(BackendConnection connection, String upstream, Promise<BackendConnection> promise) {
        metrics.backendOpened(upstream);
        promise.setSuccess(connection);
    }

    /**
     * Closes one idle pooled connection of {@code upstream} — each event loop of each {@code http} pipeline pools
     * its own, while the upstream's connection cap counts them all — so that a request that met the cap need not
     * be refused while an idle connection holds a slot. Returns a future done once that connection has closed (and given its slot back),
     * or null when no loop has an idle connection at all.
     */
    private static Future<?> evictIdle(Upstream upstream) {
        List<Map.Entry<EventLoop, LoopPool>> candidates = new ArrayList<>();
        for (BackendPool pool : BackendPools.all()) { // this pipeline's, and those of others that share the upstream
            for (Map.Entry<EventLoop, LoopPool> entry : pool.pools.entrySet()) {
                if (entry.getValue().idleHere.get() > 0) {
                    candidates.add(entry);
                }
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        Promise<Void> closed = candidates.get(0).getKey().newPromise();
        evictIdle(upstream, candidates.iterator(), closed);
        return closed;
    }

    /** Asks each candidate loop in turn (on that loop) for an idle connection of {@code upstream} to close. */
    private static void evictIdle(Upstream upstream, Iterator<Map.Entry<EventLoop, LoopPool>> candidates, Promise<Void> closed) {
        if (!candidates.hasNext()) { // the idle ones were another upstream's, or were taken meanwhile
            closed.tryFailure(new UpstreamOverflow(UpstreamLimits.Resource.CONNECTION));
            return;
        }
        Map.Entry<EventLoop, LoopPool> candidate = candidates.next();
        candidate.getKey().execute(() -> {
            Channel channel = candidate.getValue().pollIdleOf(upstream);
            if (channel == null) {
                evictIdle(upstream, candidates, closed);
                return;
            }
            // Listeners run in order: the one that gives the slot back was added when the connection opened.
            channel.close().channel().closeFuture().addListener(f -> closed.trySuccess(null));
        });
    }

    /** Closes every idle pooled connection and keeps none from now on (drain). */
    void closeIdle() {
        draining = true;
        http2.closeIdle();
        for (Map.Entry<EventLoop, LoopPool> entry : pools.entrySet()) {
            entry.getKey().execute(entry.getValue()::closeAll);
        }
    }

    /** The idle connections of one event loop; only ever touched from that loop. */
    final class LoopPool {

        private final Map<Endpoint, ArrayDeque<BackendConnection>> idle = new HashMap<>();
        /** Idle connections here; read by other loops as a hint only ({@link #evictIdle}). */
        final AtomicInteger idleHere = new AtomicInteger();

        /** Keeps this loop's count and the upstream's (the idle gauge) in step. */
        private void idleChanged(BackendConnection connection, int delta) {
            idleHere.addAndGet(delta);
            connection.idleGauge().addAndGet(delta);
        }

        BackendConnection poll(Endpoint endpoint) {
            ArrayDeque<BackendConnection> queue = idle.get(endpoint);
            while (queue != null && !queue.isEmpty()) {
                BackendConnection connection = queue.pollFirst();
                idleChanged(connection, -1);
                if (connection.channel().isActive()) {
                    return connection;
                }
            }
            return null;
        }

        boolean offer(BackendConnection connection) {
            if (draining) { // after a reload nothing would reuse it
                return false;
            }
            ArrayDeque<BackendConnection> queue = idle.computeIfAbsent(connection.endpoint(), e -> new ArrayDeque<>());
            if (queue.size() >= config.maxIdlePerEndpoint()) {
                return false;
            }
            queue.addFirst(connection);
            idleChanged(connection, 1);
            return true;
        }

        void remove(BackendConnection connection) {
            ArrayDeque<BackendConnection> queue = idle.get(connection.endpoint());
            if (queue != null && queue.remove(connection)) {
                idleChanged(connection, -1);
            }
        }

        /** Takes out the idle connection of {@code upstream} that has waited longest, or null; for {@link #evictIdle}. */
        Channel pollIdleOf(Upstream upstream) {
            List<Endpoint> endpoints = upstream.endpoints();
            for (Map.Entry<Endpoint, ArrayDeque<BackendConnection>> entry : idle.entrySet()) {
                ArrayDeque<BackendConnection> queue = entry.getValue();
                if (!queue.isEmpty() && endpoints.contains(entry.getKey())) {
                    BackendConnection oldest = queue.pollLast();
                    idleChanged(oldest, -1);
                    return oldest.channel();
                }
            }
            return null;
        }

        long idleTimeoutMillis() {
            return config.poolIdleTimeout().toMillis();
        }

        void closeAll() {
            for (ArrayDeque<BackendConnection> queue : idle.values()) {
                for (BackendConnection connection; (connection = queue.pollFirst()) != null; ) {
                    idleChanged(connection, -1);
                    connection.channel().close();
                }
            }
        }
    }
}
