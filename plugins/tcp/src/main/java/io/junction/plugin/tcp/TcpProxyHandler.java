package io.junction.plugin.tcp;

import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/** Installs a {@link ClientRelay} on each accepted connection of a {@code tcp} pipeline. */
public final class TcpProxyHandler implements ProtocolHandler {

    private final TcpProxyConfig config;
    private final Upstream upstream;
    private final EventLoops eventLoops;

    @Inject
    public TcpProxyHandler(TcpProxyConfig config, Pipeline pipeline, EventLoops eventLoops) {
        this.config = config;
        this.upstream = pipeline.routes().get(0).upstream();
        this.eventLoops = eventLoops;
    }

    @Override
    public void initChannel(Channel channel) {
        // Read only when the previous chunk has been written to the other side: backpressure.
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        channel.pipeline().addLast("relay", new ClientRelay(upstream, config, eventLoops));
    }
}
