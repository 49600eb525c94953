package io.junction.plugin.http;

import io.junction.api.runtime.EventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The event loops of {@code group}, with NIO socket channels. */
record TestLoops(EventLoopGroup group) implements EventLoops {

    @Override
    public Class<? extends SocketChannel> socketChannelType() {
        return NioSocketChannel.class;
    }

    @Override
    public String transport() {
        return "nio";
    }
}
