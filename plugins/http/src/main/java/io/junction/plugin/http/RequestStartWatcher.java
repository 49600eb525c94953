package io.junction.plugin.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the request decoder and tells the connection when bytes arrive, so that the wait
 * for a request switches from the keep-alive idle timeout to the request header timeout.
 */
final class RequestStartWatcher extends ChannelInboundHandlerAdapter {

    private final ClientConnection connection;

    RequestStartWatcher(ClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.bytesArrived();
        ctx.fireChannelRead(msg);
    }
}
