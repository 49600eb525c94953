package io.junction.plugin.healthchecks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits behind an {@link io.netty.handler.codec.http2.Http2FrameCodec}: opens one stream once
 * connected, sends the Check call, and judges the response headers, the one response message (kept
 * up to a few KiB) and the trailers.
 */
final class GrpcProbeHandler extends Http2ChannelDuplexHandler {

    // A HealthCheckResponse is a few bytes; anything much larger is not one.
    private static final int MAX_RESPONSE = 4096;

    private final Probe probe;
    private final Http2Headers request;
    private final String service;

    private Http2FrameStream stream;
    private boolean responded;
    private ByteBuf message;

    GrpcProbeHandler(Probe probe, Http2Headers request, String service) {
        this.probe = probe;
        this.request = request;
        this.service = service;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stream = newStream();
        ctx.write(new DefaultHttp2HeadersFrame(request, false).stream(stream));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(GrpcHealthMessages.request(ctx.alloc(), service), true).stream(stream))
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        probe.fail("write failed: " + Probe.describe(f.cause()));
                    }
                });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!probe.done()) {
                read(ctx, msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame) {
            Http2HeadersFrame frame = (Http2HeadersFrame) msg;
            if (!responded && !response(frame.headers())) {
                return;
            }
            responded = true;
            if (frame.isEndStream()) {
                verdict(frame.headers());
            }
        } else if (msg instanceof Http2DataFrame) {
            Http2DataFrame frame = (Http2DataFrame) msg;
            if (!append(ctx, frame.content())) {
                probe.fail("response message larger than " + MAX_RESPONSE + " bytes");
            } else if (frame.isEndStream()) {
                probe.fail("stream ended without grpc-status");
            }
        } else if (msg instanceof Http2ResetFrame) {
            probe.fail("stream reset (" + errorName(((Http2ResetFrame) msg).errorCode()) + ")");
        } else if (msg instanceof Http2GoAwayFrame) {
            Http2GoAwayFrame goAway = (Http2GoAwayFrame) msg;
            if (stream != null && goAway.lastStreamId() < stream.id()) {
                probe.fail("goaway before the call (" + errorName(goAway.errorCode()) + ")");
            }
        }
    }

    /** Checks the response headers; whether the call got a gRPC response. */
    private boolean response(Http2Headers headers) {
        CharSequence status = headers.status();
        if (status == null || !"200".contentEquals(status)) {
            probe.fail("http status " + status);
            return false;
        }
        CharSequence contentType = headers.get("content-type");
        if (contentType == null || !contentType.toString().startsWith("application/grpc")) {
            probe.fail("not a gRPC response (content-type " + contentType + ")");
            return false;
        }
        return true;
    }

    /** Judges the call from its trailers (or a trailers-only response) and the message read before them. */
    private void verdict(Http2Headers trailers) {
        CharSequence grpcStatus = trailers.get("grpc-status");
        if (grpcStatus == null) {
            probe.fail("stream ended without grpc-status");
            return;
        }
        int code;
        try {
            code = Integer.parseInt(grpcStatus.toString());
        } catch (NumberFormatException e) {
            probe.fail("bad grpc-status " + grpcStatus);
            return;
        }
        if (code != 0) {
            probe.fail("grpc-status " + code + " (" + GrpcHealthMessages.grpcStatusName(code) + ")");
            return;
        }
        if (message == null) {
            probe.fail("no response message");
            return;
        }
        int serving;
        try {
            serving = GrpcHealthMessages.servingStatus(message);
        } catch (IllegalArgumentException e) {
            probe.fail(e.getMessage());
            return;
        }
        String name = GrpcHealthMessages.servingStatusName(serving);
        if (serving == GrpcHealthMessages.SERVING) {
            probe.pass(name);
        } else {
            probe.fail(name);
        }
    }

    private boolean append(ChannelHandlerContext ctx, ByteBuf content) {
        if (message == null) {
            message = ctx.alloc().heapBuffer(64, MAX_RESPONSE);
        }
        if (content.readableBytes() > message.maxWritableBytes()) {
            return false;
        }
        message.writeBytes(content, content.readerIndex(), content.readableBytes());
        return true;
    }

    private static String errorName(long code) {
        Http2Error error = Http2Error.valueOf(code);
        return error != null ? error.name() : "error " + code;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!probe.done()) {
            probe.fail(responded ? "connection closed mid-response" : "connection closed before a response");
        }
        releaseMessage();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException) {
            probe.fail("stream error (" + ((Http2FrameStreamException) cause).error().name() + "): " + Probe.describe(cause.getCause()));
        } else if (String.valueOf(cause.getMessage()).startsWith("First received frame was not SETTINGS")) {
            // Netty's words for a server that answered the preface with something else, typically HTTP/1.1.
            probe.fail("not an HTTP/2 (h2c) server");
        } else {
            probe.fail("http2 error: " + Probe.describe(cause));
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseMessage();
    }

    private void releaseMessage() {
        if (message != null) {
            message.release();
            message = null;
        }
    }
}
