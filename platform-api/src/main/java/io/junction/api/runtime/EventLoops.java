package io.junction.api.runtime;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.SocketChannel;
import java.net.SocketAddress;

/**
 * The runtime's event loops and the transport they use (epoll where available, NIO
 * otherwise). Plugins open outbound connections on the event loop of the connection they serve
 * ({@code channel.eventLoop()}) with {@link #socketChannelFactory(SocketAddress)} (or, before API
 * 1.4, {@link #socketChannelType()}), so a connection never hops threads.
 */
public interface EventLoops {

    /** The worker event loops shared by all pipelines. */
    EventLoopGroup group();

    /** The client socket channel class of the transport in use. */
    Class<? extends SocketChannel> socketChannelType();

    /**
     * Makes the channels of outbound connections to {@code remote}, for
     * {@code Bootstrap.channelFactory}: on epoll, a socket of the address's own family, so that a
     * connection to an IPv4 address is an IPv4 socket rather than the IPv6 socket with an
     * IPv4-mapped address that the plain channel class opens (every send and receive then crosses
     * the IPv6 socket layer too). Since API 1.4; the default makes {@link #socketChannelType()}'s
     * channels.
     */
    default ChannelFactory<? extends SocketChannel> socketChannelFactory(SocketAddress remote) {
        return new ReflectiveChannelFactory<>(socketChannelType());
    }

    /** The transport's name: {@code "epoll"} or {@code "nio"}. */
    String transport();
}
