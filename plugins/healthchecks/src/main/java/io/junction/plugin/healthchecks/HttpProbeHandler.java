package io.junction.plugin.healthchecks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Writes the probe request once connected and judges the response: an unexpected status fails at
 * once; otherwise the verdict waits for the end of the body or its first 64 KiB, whichever comes
 * first, keeping at most those 64 KiB and only when it looks for text in them.
 */
final class HttpProbeHandler extends ChannelInboundHandlerAdapter {

    private static final int MAX_BODY = HttpHealthCheckConfig.MAX_BODY_BYTES;

    private final Probe probe;
    private final FullHttpRequest request;
    private final StatusRanges expected;
    private final byte[] needle;
    private final String needleText;

    private int status = -1;
    private long bodyBytes;
    private ByteBuf window;

    HttpProbeHandler(Probe probe, FullHttpRequest request, StatusRanges expected, byte[] needle, String needleText) {
        this.probe = probe;
        this.request = request;
        this.expected = expected;
        this.needle = needle;
        this.needleText = needleText;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                probe.fail("write failed: " + Probe.describe(f.cause()));
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!probe.done() && msg instanceof HttpObject) {
                read(ctx, (HttpObject) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg.decoderResult().isFailure()) {
            probe.fail("bad response: " + Probe.describe(msg.decoderResult().cause()));
            return;
        }
        if (msg instanceof HttpResponse) {
            int code = ((HttpResponse) msg).status().code();
            if (HttpResponseStatus.CONTINUE.code() <= code && code < 200 && code != 101) {
                return; // informational: the real response follows
            }
            status = code;
            if (!expected.contains(status)) {
                probe.fail("status " + status);
                return;
            }
        }
        if (msg instanceof HttpContent && status >= 0) {
            ByteBuf content = ((HttpContent) msg).content();
            if (needle == null) {
                bodyBytes += content.readableBytes();
            } else if (find(ctx, content)) {
                probe.pass("status " + status + ", body has " + quote(needleText));
                return;
            }
            if (msg instanceof LastHttpContent || bodyBytes >= MAX_BODY) {
                if (needle == null) {
                    probe.pass("status " + status);
                } else {
                    probe.fail("body lacks " + quote(needleText) + (bodyBytes >= MAX_BODY ? " in its first 64 KiB" : ""));
                }
            }
        }
    }

    /** Adds {@code content} to the body seen so far (up to 64 KiB) and whether the needle is in it now. */
    private boolean find(ChannelHandlerContext ctx, ByteBuf content) {
        int take = (int) Math.min(content.readableBytes(), MAX_BODY - bodyBytes);
        if (take <= 0) {
            return false;
        }
        if (window == null) {
            window = ctx.alloc().heapBuffer(Math.min(MAX_BODY, Math.max(take, 1024)), MAX_BODY);
        }
        int searchFrom = Math.max(0, window.writerIndex() - needle.length + 1);
        window.writeBytes(content, content.readerIndex(), take);
        bodyBytes += take;
        return indexOf(window, needle, searchFrom) >= 0;
    }

    static int indexOf(ByteBuf haystack, byte[] needle, int from) {
        int last = haystack.writerIndex() - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String quote(String text) {
        return "'" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "'";
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!probe.done()) {
            probe.fail(status < 0 ? "connection closed before a response" : "connection closed mid-response");
        }
        releaseWindow();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        probe.fail("connection error: " + Probe.describe(cause));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWindow();
    }

    private void releaseWindow() {
        if (window != null) {
            window.release();
            window = null;
        }
    }
}
