package io.junction.plugin.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/** The backend side of a forwarded connection: relays backend bytes to the client. */
final class BackendRelay extends Relay {

    BackendRelay(Channel client) {
        this.peer = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
    }
}
