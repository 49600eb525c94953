package io.junction.plugin.respond;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of a {@code respond} pipeline: answers each request once its body has been
 * read (and discarded), keeps the connection alive when the client allows it, and answers a
 * malformed request with 400 (431 or 414 for one over the limits) and closes.
 */
final class RespondConnection extends ChannelInboundHandlerAdapter {

    private final RespondHandler handler;
    private ChannelHandlerContext ctx;
    private HttpRequest current;

    RespondConnection(RespondHandler handler) {
        this.handler = handler;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                if (request.decoderResult().isFailure()) {
                    reject(request.decoderResult().cause());
                    return;
                }
                current = request;
            }
            if (msg instanceof LastHttpContent last && current != null) {
                if (last.decoderResult().isFailure()) {
                    reject(last.decoderResult().cause());
                    return;
                }
                respond(current);
                current = null;
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !handler.draining();
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), handler.status(),
                request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : handler.body());
        response.headers().set(handler.headers());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, handler.body().readableBytes());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void reject(Throwable cause) {
        HttpResponseStatus status = cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        byte[] text = (status.reasonPhrase() + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(text));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * Closes the connection if no request is in progress (called by a drain, from any thread), once
     * a response still being written has been sent: closing at once would cut it short.
     */
    void closeIfIdle() {
        if (ctx != null) {
            ctx.executor().execute(() -> {
                if (current == null) {
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                        if (current == null) {
                            ctx.close();
                        }
                    });
                }
            });
        }
    }
}
