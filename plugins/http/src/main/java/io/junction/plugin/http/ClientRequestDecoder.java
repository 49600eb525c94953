package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpLimits;
import io.junction.plugin.http.codec.RequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * The request decoder of a client connection, which also tells the connection when bytes arrive, so
 * that the wait for a request switches from the keep-alive idle timeout to the request header timeout.
 * <p>
 * It also tells HTTP/2 from HTTP/1.1 by the connection's first bytes (when the pipeline accepts HTTP/2):
 * the HTTP/2 connection preface ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, RFC 9113 3.4) cannot start an
 * HTTP/1.1 request, which the first differing byte shows — usually the very first. That works the same for
 * h2c by prior knowledge and for h2 chosen by ALPN (whose clients send the preface too), so protocols stay
 * TLS-agnostic. On the whole preface the HTTP/2 handlers are placed after this one, which hands them what it
 * held and leaves, with the HTTP/1.1 connection. One handler rather than a watcher before the decoder: an
 * HTTP/1.1 connection pays no pipeline change for the detection, and neither a handler context nor a
 * pipeline step for the arrival notice.
 */
final class ClientRequestDecoder extends RequestDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ClientConnection connection;
    /** The handler to switch to HTTP/2 with; null once the connection is known to be HTTP/1.x, or when HTTP/2 is off. */
    private HttpProxyHandler http2;
    /** The first bytes, while they are a prefix of the preface shorter than it. */
    private ByteBuf held;

    ClientRequestDecoder(HttpLimits limits, ClientConnection connection, HttpProxyHandler http2) {
        super(limits);
        this.connection = connection;
        this.http2 = http2;
    }

    private CallbackClock clock;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        clock = CallbackClock.current(); // on the connection's event loop
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        clock.enter(); // what this read sets off, the whole exchange for a small request, shares one reading
        try {
            if (http2 != null && msg instanceof ByteBuf bytes) {
                detect(ctx, bytes);
                return;
            }
            connection.bytesArrived();
            super.channelRead(ctx, msg);
        } finally {
            clock.exit();
        }
    }

    private void detect(ChannelHandlerContext ctx, ByteBuf bytes) throws Exception {
        ByteBuf in = bytes;
        if (held != null) {
            held.writeBytes(bytes);
            bytes.release();
            in = held;
        }
        int compared = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean matches = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, compared);
        if (matches && compared < PREFACE.readableBytes()) { // so far a prefix of the preface: wait for more
            connection.bytesArrived(); // a trickled preface gets the header timeout, as a trickled request does
            if (held == null) {
                held = ctx.alloc().buffer(PREFACE.readableBytes());
                held.writeBytes(in);
                in.release();
            }
            return;
        }
        held = null;
        HttpProxyHandler handler = http2;
        http2 = null; // decided
        if (!matches) {
            connection.bytesArrived();
            super.channelRead(ctx, in);
            return;
        }
        handler.switchToHttp2(ctx.pipeline(), ctx.name());
        ctx.fireChannelRead(in); // still in place: the bytes go to the HTTP/2 codec, now after this handler
        ctx.pipeline().remove(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (held != null) {
            ReferenceCountUtil.release(held);
            held = null;
        }
    }
}
