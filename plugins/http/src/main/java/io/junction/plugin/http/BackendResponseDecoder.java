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
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        CallbackClock readClock = clock;
        if (readClock == null) {
            readClock = CallbackClock.current();
            clock = readClock;
        }
        readClock.enter();
        try {
            super.channelRead(ctx, msg);
        } finally {
            readClock.exit();
        }
    }
}
