package io.junction.plugin.tcp;

import io.junction.api.protocol.ConnectionAddresses;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.EndpointRequest;
import io.junction.api.upstream.UpstreamLimits;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a forwarded connection. It chooses the route (by listen address, or by the
 * server name an {@link SniRouter} in front found), picks an endpoint (trying others, up to the
 * configured attempts, when a connect fails), connects on the client's own event loop, optionally
 * sends a PROXY protocol header, then relays client bytes to the backend. Bytes that arrive before
 * the backend is connected (a peeked ClientHello, bytes after a PROXY header) are held and sent first.
 */
final class ClientRelay extends Relay {

    private static final Logger log = LoggerFactory.getLogger(ClientRelay.class);

    private final TcpRoutes routes;
    private final TcpProxyConfig config;
    private final EventLoops eventLoops;
    private final TcpMetrics metrics;
    private final Queue<Object> early = new ArrayDeque<>();
    private boolean started;

    ClientRelay(TcpRoutes routes, TcpProxyConfig config, EventLoops eventLoops, TcpMetrics metrics) {
        this.routes = routes;
        this.config = config;
        this.eventLoops = eventLoops;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Installed after a PROXY protocol header was read, the connection is already active.
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        if (routes.needsServerName()) {
            ctx.read(); // the SniRouter in front peeks the ClientHello and fires Routed
            return;
        }
        Upstream upstream = routes.select((InetSocketAddress) ctx.channel().localAddress(), null);
        if (upstream == null) {
            metrics.noRoute();
            ctx.close();
            return;
        }
        connect(ctx.channel(), upstream, pickContext(ctx.channel()), 1);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SniRouter.Routed routed) {
            connect(ctx.channel(), routed.upstream(), pickContext(ctx.channel()).withAttributes(
                    name -> "sni".equals(name) ? routed.serverName() : null), 1);
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null) {
            early.add(msg); // at most what was read before the backend connected: one read's worth
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        super.channelInactive(ctx);
    }

    @SuppressWarnings("unchecked")
    private static <T> void option(Bootstrap bootstrap, ChannelOption<T> option, Object value) {
        bootstrap.option(option, (T) value);
    }

    private static PickContext pickContext(Channel client) {
        return PickContext.forClient(ConnectionAddresses.of(client).client());
    }

    private void connect(Channel client, Upstream upstream, PickContext context, int attempt) {
        Optional<Endpoint> picked = upstream.pick(context);
        if (picked.isEmpty()) {
            if (attempt == 1) {
                metrics.noEndpoint();
                log.warn("upstream {}: no healthy endpoint for client {}; closing it", upstream.name(), client.remoteAddress());
            } else {
                log.warn("upstream {}: connects to {} failed after {} attempts, no other endpoint to try; closing client {}",
                        upstream.name(), context.excluded(), attempt - 1, client.remoteAddress());
            }
            client.close();
            return;
        }
        Endpoint endpoint = picked.get();
        UpstreamLimits limits = upstream.limits();
        if (!limits.tryAcquire(UpstreamLimits.Resource.CONNECTION)) {
            metrics.overflow();
            log.warn("upstream {}: circuit breaker full (maxConnections); closing client {}", upstream.name(), client.remoteAddress());
            client.close();
            return;
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .channelFactory(eventLoops.socketChannelFactory(endpoint.address()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, config.connectTimeout().toMillis()))
                .handler(new BackendRelay(client));
        if (Splicer.enabled(config, eventLoops)) {
            Splicer.socketOptions().forEach((option, value) -> option(bootstrap, option, value));
        }
        ChannelFuture connect = bootstrap.connect(endpoint.address());
        connect.channel().closeFuture().addListener(closed -> limits.release(UpstreamLimits.Resource.CONNECTION));
        EndpointRequest request = endpoint.startRequest(); // a tcp connection is one request to its endpoint
        connect.channel().closeFuture().addListener(closed -> request.finish());
        connect.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                request.answered(true);
            }
            if (f.isSuccess()) {
                if (!client.isActive()) {
                    f.channel().close();
                    return;
                }
                if (upstream.tls().isEmpty()) {
                    connected(client, f.channel(), endpoint);
                    return;
                }
                // The upstream wants TLS: wrap the backend side, and relay once the handshake is done.
                SslHandler tls = upstream.tls().get().newHandler(f.channel().alloc(), endpoint);
                tls.setHandshakeTimeoutMillis(Math.max(1, config.connectTimeout().toMillis()));
                f.channel().pipeline().addFirst("tls", tls);
                f.channel().read();
                tls.handshakeFuture().addListener(h -> {
                    if (h.isSuccess() && client.isActive()) {
                        connected(client, f.channel(), endpoint);
                    } else if (!h.isSuccess()) {
                        f.channel().close();
                        retryOrClose(client, upstream, context, attempt, endpoint, h.cause());
                    } else {
                        f.channel().close();
                    }
                });
                return;
            }
            retryOrClose(client, upstream, context, attempt, endpoint, f.cause());
        });
    }

    private void retryOrClose(Channel client, Upstream upstream, PickContext context, int attempt, Endpoint endpoint,
                              Throwable cause) {
        endpoint.connectFailed(cause);
        if (attempt < config.connectAttempts() && client.isActive()) {
            log.debug("upstream {}: connect to {} failed ({}); trying another endpoint", upstream.name(), endpoint.id(),
                    cause.getMessage());
            connect(client, upstream, context.excluding(endpoint), attempt + 1);
        } else {
            log.warn("upstream {}: connect to {} failed ({}) after {} attempts; closing client {}", upstream.name(),
                    endpoint.id(), cause.getMessage(), attempt, client.remoteAddress());
            client.close();
        }
    }


    private void connected(Channel client, Channel backend, Endpoint endpoint) {
        peer = backend;
        backend.pipeline().get(Relay.class).established = true;
        endpoint.track(backend);
        if (config.sendProxyProtocol() != null) {
            backend.pipeline().addLast("proxy-protocol-encoder", HAProxyMessageEncoder.INSTANCE);
            backend.write(ProxyHeaders.of(config.sendProxyProtocol(), ConnectionAddresses.of(client)));
        }
        ChannelFuture last = null;
        while (!early.isEmpty()) {
            last = backend.write(early.poll());
        }
        backend.flush();
        ChannelFuture written = last != null ? last : backend.newSucceededFuture();
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                abort(client);
                abort(backend);
                return;
            }
            if (pendingInputShutdown()) {
                propagateShutdown(client);
            } else {
                Splicer.arm(client, backend, config);
                startRelaying(client, backend);
            }
        });
    }

    private void releaseEarly() {
        Object msg;
        while ((msg = early.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

}
