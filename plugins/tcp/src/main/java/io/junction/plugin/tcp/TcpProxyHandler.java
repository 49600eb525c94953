package io.junction.plugin.tcp;

import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.runtime.EventLoops;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs, on each accepted connection of a {@code tcp} pipeline, an {@link SniRouter} when some
 * route matches on server names, and a {@link ClientRelay}.
 */
public final class TcpProxyHandler implements ProtocolHandler {

    private final TcpProxyConfig config;
    private final TcpRoutes routes;
    private final EventLoops eventLoops;
    private final TcpMetrics metrics;

    @Inject
    public TcpProxyHandler(TcpProxyConfig config, Pipeline pipeline, EventLoops eventLoops, MeterRegistry registry) {
        this.config = config;
        this.routes = new TcpRoutes(pipeline.routes());
        this.eventLoops = eventLoops;
        this.metrics = new TcpMetrics(pipeline.name(), registry);
    }

    @Override
    public Map<ChannelOption<?>, Object> connectionOptions() {
        return Splicer.enabled(config, eventLoops) ? Splicer.socketOptions() : Map.of();
    }

    @Override
    public void initChannel(Channel channel) {
        // Nothing is read until the backend is connected (or the SniRouter asks for the ClientHello).
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        if (routes.needsServerName()) {
            channel.pipeline().addLast("sni", new SniRouter(routes, metrics));
        }
        channel.pipeline().addLast("relay", new ClientRelay(routes, config, eventLoops, metrics));
    }
}
