package io.junction.plugin.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches one client HTTP/2 connection from behind the multiplexer, where the frames of no stream
 * arrive: a client sending more PING and SETTINGS frames per second than allowed gets GOAWAY
 * ENHANCE_YOUR_CALM (each costs Junction an answer); a connection without streams for
 * {@code idleTimeout} is closed (GOAWAY NO_ERROR). {@link #drain()} sends GOAWAY and lets the
 * streams in flight finish.
 */
final class Http2ConnectionGuard extends ChannelDuplexHandler {

    private final HttpProxyHandler handler;
    private final Http2FrameCodec codec;
    private final long idleNanos;
    private final int maxControlFrames;
    private ChannelHandlerContext ctx;
    private long windowStart;
    private int controlFrames;
    private long idleSince;
    private ScheduledFuture<?> idleTimer;

    Http2ConnectionGuard(HttpProxyHandler handler, Http2FrameCodec codec) {
        this.handler = handler;
        this.codec = codec;
        this.idleNanos = handler.config().idleTimeout().toNanos();
        this.maxControlFrames = handler.config().http2().maxControlFramesPerSecond();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        idleSince = System.nanoTime();
        codec.connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                streamClosed();
            }
        });
        armIdleTimer(idleNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if ((msg instanceof Http2PingFrame ping && !ping.ack()) || msg instanceof Http2SettingsFrame) {
            long now = System.nanoTime();
            if (now - windowStart > TimeUnit.SECONDS.toNanos(1)) {
                windowStart = now;
                controlFrames = 0;
            }
            if (++controlFrames > maxControlFrames) {
                ReferenceCountUtil.release(msg);
                handler.metrics().error("http2-control-frame-flood");
                goAway(Http2Error.ENHANCE_YOUR_CALM);
                return;
            }
        }
        ReferenceCountUtil.release(msg); // nothing behind this handler wants connection-level frames
    }

    private void streamClosed() {
        if (codec.connection().numActiveStreams() == 0) {
            idleSince = System.nanoTime();
        }
    }

    /** Drain: no new streams (GOAWAY), the open ones finish, then the connection closes. */
    void drain() {
        ctx.executor().execute(() -> ctx.channel().close()); // Http2ConnectionHandler: GOAWAY, then close when streams end
    }

    private void goAway(Http2Error error) {
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(error)).addListener(ChannelFutureListener.CLOSE);
    }

    private void armIdleTimer(long nanos) {
        idleTimer = ctx.executor().schedule(this::idleCheck, nanos, TimeUnit.NANOSECONDS);
    }

    private void idleCheck() {
        idleTimer = null;
        if (!ctx.channel().isOpen()) {
            return;
        }
        if (codec.connection().numActiveStreams() > 0) {
            armIdleTimer(idleNanos);
            return;
        }
        long left = idleNanos - (System.nanoTime() - idleSince);
        if (left > 0) {
            armIdleTimer(left);
        } else {
            ctx.channel().close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        ctx.fireChannelInactive();
    }

    /**
     * An HTTP/2 protocol error is the codec's to answer (a GOAWAY with its code, ENHANCE_YOUR_CALM for the
     * floods); closing here first would replace that with a graceful NO_ERROR. Anything else closes.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Http2Exception) {
                return;
            }
        }
        ctx.close();
    }
}
