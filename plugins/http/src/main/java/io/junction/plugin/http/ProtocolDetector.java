package io.junction.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Tells HTTP/2 from HTTP/1.1 by a connection's first bytes: the HTTP/2 connection preface
 * ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, RFC 9113 3.4) can't start an HTTP/1.1 request, which the
 * first differing byte shows. That works the same for h2c by prior knowledge and for h2 chosen by ALPN
 * (whose clients send the preface too), so protocols stay TLS-agnostic. The HTTP/1.1 handlers are in
 * place behind this one from the start (their idle timer runs while nothing arrives); on the preface
 * they are swapped for HTTP/2 ones. Either way this handler leaves, handing on what it held.
 */
final class ProtocolDetector extends ChannelInboundHandlerAdapter {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final HttpProxyHandler handler;
    private ByteBuf held;

    ProtocolDetector(HttpProxyHandler handler) {
        this.handler = handler;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = bytes;
        if (held != null) {
            held.writeBytes(bytes);
            bytes.release();
            in = held;
        }
        int compared = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean matches = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, compared);
        if (matches && compared < PREFACE.readableBytes()) { // so far a prefix of the preface: wait for more
            if (held == null) {
                held = ctx.alloc().buffer(PREFACE.readableBytes());
                held.writeBytes(in);
                in.release();
            }
            return;
        }
        held = null;
        if (matches) {
            handler.switchToHttp2(ctx.pipeline(), ctx.name());
        }
        ctx.fireChannelRead(in); // still in place: the bytes go to the handler after this one, whichever it now is
        ctx.pipeline().remove(this);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }
}
