package io.junction.plugin.tcp;

import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a forwarded connection: on accept, picks an endpoint (trying others, up to
 * the configured attempts, when a connect fails), connects on the client's own event loop, then
 * relays client bytes to the backend.
 */
final class ClientRelay extends Relay {

    private static final Logger log = LoggerFactory.getLogger(ClientRelay.class);

    private final Upstream upstream;
    private final TcpProxyConfig config;
    private final EventLoops eventLoops;

    ClientRelay(Upstream upstream, TcpProxyConfig config, EventLoops eventLoops) {
        this.upstream = upstream;
        this.config = config;
        this.eventLoops = eventLoops;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        InetSocketAddress remote = client.remoteAddress() instanceof InetSocketAddress a ? a : null;
        connect(client, PickContext.forClient(remote), 1);
    }

    private void connect(Channel client, PickContext context, int attempt) {
        Optional<Endpoint> picked = upstream.pick(context);
        if (picked.isEmpty()) {
            if (attempt == 1) {
                log.warn("upstream {}: no healthy endpoint for client {}; closing it", upstream.name(), client.remoteAddress());
            } else {
                log.warn("upstream {}: connects to {} failed after {} attempts, no other endpoint to try; closing client {}",
                        upstream.name(), context.excluded(), attempt - 1, client.remoteAddress());
            }
            client.close();
            return;
        }
        Endpoint endpoint = picked.get();
        ChannelFuture connect = new Bootstrap()
                .group(client.eventLoop())
                .channel(eventLoops.socketChannelType())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .handler(new BackendRelay(client))
                .connect(endpoint.address());
        connect.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                if (!client.isActive()) {
                    f.channel().close();
                    return;
                }
                peer = f.channel();
                endpoint.track(peer);
                client.read();
                return;
            }
            endpoint.connectFailed(f.cause());
            if (attempt < config.connectAttempts() && client.isActive()) {
                log.debug("upstream {}: connect to {} failed ({}); trying another endpoint", upstream.name(), endpoint.id(),
                        f.cause().getMessage());
                connect(client, context.excluding(endpoint), attempt + 1);
            } else {
                log.warn("upstream {}: connect to {} failed ({}) after {} attempts; closing client {}", upstream.name(),
                        endpoint.id(), f.cause().getMessage(), attempt, client.remoteAddress());
                client.close();
            }
        });
    }
}
