package io.junction.runtime.listener;

import io.junction.api.filter.ConnectionFilter;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.runtime.config.HostPort;
import io.junction.runtime.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening socket of one pipeline: accepts connections, accounts for them, runs the
 * connection filters and hands each accepted connection to the protocol handler. Drains on request.
 */
public final class PipelineListener {

    private static final Logger log = LoggerFactory.getLogger(PipelineListener.class);

    private final String name;
    private final HostPort address;
    private final ProtocolHandler protocol;
    private final List<ConnectionFilter> connectionFilters;
    private final TrafficAccounting accounting;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;

    public PipelineListener(String name, HostPort address, ProtocolHandler protocol, List<ConnectionFilter> connectionFilters,
                            MeterRegistry metrics) {
        this.name = name;
        this.address = address;
        this.protocol = protocol;
        this.connectionFilters = List.copyOf(connectionFilters);
        this.accounting = new TrafficAccounting(name, metrics);
    }

    public String name() {
        return name;
    }

    /** Binds the listening socket; the future fails when the address is in use. */
    public ChannelFuture bind(Transport transport) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        accept(channel);
                    }
                });
        ChannelFuture future = bootstrap.bind(address.host(), address.port());
        serverChannel = future.channel();
        return future;
    }

    private void accept(Channel channel) {
        channel.pipeline().addFirst(TrafficAccounting.NAME, accounting);
        accounting.opened(channel);
        connections.add(channel);
        for (ConnectionFilter filter : connectionFilters) {
            boolean accepted;
            try {
                accepted = filter.accept(channel);
            } catch (RuntimeException e) {
                log.warn("pipeline {}: connection filter {} failed; closing the connection", name, filter.getClass().getName(), e);
                accepted = false;
            }
            if (!accepted) {
                accounting.refused();
                channel.close();
                return;
            }
        }
        protocol.initChannel(channel);
    }

    /** The address actually bound (useful with port 0). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting and asks the protocol to finish its exchanges. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        protocol.drain();
    }

    /** Client connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Closes every connection still open. */
    public void closeAll() {
        connections.close().awaitUninterruptibly();
    }
}
