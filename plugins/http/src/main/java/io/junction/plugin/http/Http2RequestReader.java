package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyChunk;
import io.junction.plugin.http.codec.Http2RequestHeads;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpLimits;
import io.junction.plugin.http.codec.HttpParseException;
import io.junction.plugin.http.codec.LastBodyChunk;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The request of one HTTP/2 stream, as the messages an HTTP/1.1 connection's decoder would give
 * {@link ClientConnection}: a {@code RequestHead} (or the {@code HttpParseException} that refuses it),
 * {@code BodyChunk}s, and one {@code LastBodyChunk} carrying the trailers. Frames after the end, or after
 * a refused head, are dropped. Netty's multiplexer returns a DATA frame's bytes to the client's flow-control
 * window when this reads it, and the connection reads its stream only while the backend keeps up, so a
 * slow backend slows this stream, not its neighbours.
 */
final class Http2RequestReader extends ChannelInboundHandlerAdapter {

    private final HttpLimits limits;
    private boolean headRead;
    private boolean done;

    Http2RequestReader(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Http2HeadersFrame frame) {
            onHeaders(ctx, frame);
        } else if (msg instanceof Http2DataFrame data) {
            onData(ctx, data);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        boolean head = !headRead;
        try {
            if (head) {
                headRead = true;
                ctx.fireChannelRead(Http2RequestHeads.of(frame.headers(), frame.isEndStream(), limits));
                if (frame.isEndStream()) {
                    done = true;
                    ctx.fireChannelRead(LastBodyChunk.empty());
                }
            } else if (!frame.isEndStream()) { // a second HEADERS is trailers, and trailers end the stream
                refuse(ctx, new HttpParseException(400, "invalid-trailers"));
            } else {
                HttpHeaders trailers = Http2RequestHeads.trailers(frame.headers(), limits);
                done = true;
                ctx.fireChannelRead(new LastBodyChunk(Unpooled.EMPTY_BUFFER, trailers));
            }
        } catch (HttpParseException invalid) {
            CharSequence contentType = head ? frame.headers().get("content-type") : null;
            if (contentType != null && GrpcCall.isGrpc(contentType.toString())) { // a gRPC call: refused with a gRPC status
                done = true;
                CharSequence path = frame.headers().path();
                ctx.fireChannelRead(new GrpcCall.InvalidHead(invalid, path == null ? null : path.toString()));
            } else {
                refuse(ctx, invalid);
            }
        }
    }

    private void onData(ChannelHandlerContext ctx, Http2DataFrame data) {
        if (!headRead) {
            data.release();
            return;
        }
        if (data.isEndStream()) {
            done = true;
            ctx.fireChannelRead(new LastBodyChunk(data.content(), new HttpHeaders()));
        } else if (data.content().isReadable()) {
            ctx.fireChannelRead(new BodyChunk(data.content()));
        } else {
            data.release();
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpParseException invalid) {
        done = true;
        ctx.fireChannelRead(invalid);
    }
}
