package io.junction.runtime.tls;

import io.junction.runtime.tls.TlsTermination.Failure;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after the TLS handler of one connection until the handshake ends. A failure (from
 * the SNI step or the handshake itself) is counted once, logged at debug and the connection
 * closed; its exception stops here, so the protocol never logs a stranger's garbage. After a
 * successful handshake the monitor steps aside.
 */
final class HandshakeMonitor extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HandshakeMonitor.class);

    private final String pipeline;
    private final Consumer<Failure> failed;
    private boolean done;

    HandshakeMonitor(String pipeline, Consumer<Failure> failed) {
        this.pipeline = pipeline;
        this.failed = failed;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent sni && !sni.isSuccess()) {
            fail(ctx, sni.cause());
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                done = true;
                ctx.fireUserEventTriggered(evt);
                ctx.pipeline().remove(this);
                return;
            }
            fail(ctx, handshake.cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause); // before the handshake succeeded: the TLS handler's own failure
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        Failure reason = reason(cause);
        failed.accept(reason);
        if (log.isDebugEnabled()) {
            log.debug("pipeline {}: TLS handshake with {} failed ({}): {}", pipeline, ctx.channel().remoteAddress(), reason.tag,
                    cause);
        }
        ctx.close();
    }

    static Failure reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return Failure.NOT_TLS;
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return Failure.TIMEOUT;
            }
            if (t instanceof ClosedChannelException) {
                return Failure.CLOSED;
            }
        }
        return Failure.HANDSHAKE;
    }
}
