package io.junction.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.logging.LogLevel;

/**
 * Counts the GOAWAY and RST_STREAM frames Junction sends to clients, by error code. Netty's codec
 * enforces the HTTP/2 abuse limits itself (rapid reset, CONTINUATION and empty-frame floods, control
 * frames queued by a client that does not read) and answers with these frames, so counting them here
 * counts every defence that fired. Logs nothing itself (trace level).
 */
final class Http2ErrorCounter extends Http2FrameLogger {

    private final HttpMetrics metrics;

    Http2ErrorCounter(HttpMetrics metrics) {
        super(LogLevel.TRACE, Http2ErrorCounter.class);
        this.metrics = metrics;
    }

    @Override
    public void logGoAway(Direction direction, ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        if (direction == Direction.OUTBOUND) {
            metrics.http2Sent("goaway", name(errorCode));
        }
        super.logGoAway(direction, ctx, lastStreamId, errorCode, debugData);
    }

    @Override
    public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
        if (direction == Direction.OUTBOUND) {
            metrics.http2Sent("rst_stream", name(errorCode));
        }
        super.logRstStream(direction, ctx, streamId, errorCode);
    }

    private static String name(long code) {
        Http2Error error = Http2Error.valueOf(code);
        return error == null ? Long.toString(code) : error.name().toLowerCase(java.util.Locale.ROOT);
    }
}
