package io.junction.api.runtime;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

/**
 * The runtime's event loops and the transport they use (epoll where available, NIO
 * otherwise). Plugins open outbound connections on the event loop of the connection they serve
 * ({@code channel.eventLoop()}) with {@link #socketChannelType()}, so a connection never hops
 * threads.
 */
public interface EventLoops {

    /** The worker event loops shared by all pipelines. */
    EventLoopGroup group();

    /** The client socket channel class of the transport in use. */
    Class<? extends SocketChannel> socketChannelType();

    /** The transport's name: {@code "epoll"} or {@code "nio"}. */
    String transport();
}
