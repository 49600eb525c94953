package io.junction.plugin.discoverydns;

import io.junction.api.runtime.EventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** The runtime's event loops as the NIO transport gives them. */
record NioEventLoops(EventLoopGroup group) implements EventLoops {
    @Override
    public Class<? extends SocketChannel> socketChannelType() {
        return NioSocketChannel.class;
    }

    @Override
    public String transport() {
        return "nio";
    }
}
