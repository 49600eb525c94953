package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpLimits;
import io.junction.plugin.http.codec.ResponseDecoder;
import io.netty.channel.ChannelHandlerContext;

/** A backend connection's response decoder: each read it decodes runs on one {@link CallbackClock} reading. */
final class BackendResponseDecoder extends ResponseDecoder {

    private CallbackClock clock;

    BackendResponseDecoder(HttpLimits limits) {
        super(limits);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        clock = CallbackClock.current(); // on the connection's event loop
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        clock.enter();
        try {
            super.channelRead(ctx, msg);
        } finally {
            clock.exit();
        }
    }
}
