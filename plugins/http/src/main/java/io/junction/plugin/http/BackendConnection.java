package io.junction.plugin.http;

import io.junction.api.upstream.Endpoint;
import io.junction.plugin.http.codec.HttpParseException;
import io.junction.plugin.http.codec.ResponseDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection to an endpoint, serving one exchange at a time and pooled between exchanges
 * ({@link BackendPool}). Hands the decoded response to the exchange it serves; idle, any byte or
 * a close from the backend ends it.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {

    private final Endpoint endpoint;
    private final BackendPool.LoopPool pool;
    private final ResponseDecoder decoder;
    private Channel channel;
    private RequestWriter writer;
    private ClientConnection exchange;
    private int requests;
    private boolean reusable = true;
    private ScheduledFuture<?> idleTimer;
    /** When the connection last went back to the pool; 0 while it serves an exchange. */
    private long idleSince;

    BackendConnection(Endpoint endpoint, BackendPool.LoopPool pool, ResponseDecoder decoder) {
        this.endpoint = endpoint;
        this.pool = pool;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        this.writer = new Http1RequestWriter(channel);
    }

    Channel channel() {
        return channel;
    }

    /** Writes the request of the exchange this connection serves. */
    RequestWriter writer() {
        return writer;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Requests this connection was given before the current one; 0 for a fresh connection. */
    int served() {
        return requests - 1;
    }

    /** Starts serving an exchange whose request (method given) is about to be written. */
    void attach(ClientConnection exchange, String method) {
        idleSince = 0; // the idle timer, if armed, finds the connection busy and lets it be
        this.exchange = exchange;
        requests++;
        decoder.expect(method);
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** The exchange is over and the connection may serve another: back to the pool, or closed. */
    void release(boolean clean, int maxRequests) {
        exchange = null;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        if (!clean || !reusable || !channel.isActive() || (maxRequests > 0 && requests >= maxRequests)) {
            channel.close();
            return;
        }
        if (pool.offer(this)) {
            idleSince = System.nanoTime();
            if (idleTimer == null) { // one timer at a time, re-armed lazily: not a schedule and a cancel per exchange
                armIdleTimer(pool.idleTimeoutMillis());
            }
        } else {
            channel.close();
        }
    }

    /** The backend said it will close this connection after the response (Connection: close, HTTP/1.0). */
    void notReusable() {
        reusable = false;
    }

    /** Ends the connection: it is in an unknown state (an aborted exchange). */
    void abort() {
        exchange = null;
        reusable = false;
        channel.close();
    }

    /**
     * The connection now tunnels to {@code client} (an upgrade): it leaves the pool for good and its
     * decoder steps aside, handing any bytes after the 101 to the tunnel. Returns the channel.
     */
    Channel detachForTunnel(Channel client) {
        exchange = null;
        reusable = false;
        cancelIdleTimer();
        channel.pipeline().replace(this, "http-tunnel", new TunnelRelay(client));
        channel.pipeline().remove(decoder);
        channel.config().setAutoRead(true);
        return channel;
    }

    void pauseReading() {
        channel.config().setAutoRead(false);
    }

    void resumeReading() {
        channel.config().setAutoRead(true);
    }

    private void armIdleTimer(long millis) {
        idleTimer = channel.eventLoop().schedule(this::idleTimerFired, millis, TimeUnit.MILLISECONDS);
    }

    private void idleTimerFired() {
        idleTimer = null;
        if (idleSince == 0 || !channel.isOpen()) {
            return; // busy: the next release arms it again
        }
        long left = TimeUnit.MILLISECONDS.toNanos(pool.idleTimeoutMillis()) - (System.nanoTime() - idleSince);
        if (left > 0) {
            armIdleTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } else {
            pool.remove(this);
            channel.close();
        }
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientConnection current = exchange;
        if (current == null) { // a pooled connection has nothing to say: whatever it is, it is not ours
            ReferenceCountUtil.release(msg);
            reusable = false;
            pool.remove(this);
            ctx.close();
            return;
        }
        if (msg instanceof HttpParseException invalid) {
            reusable = false;
            current.backendFailed("invalid-response", invalid);
            return;
        }
        current.onResponse(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ClientConnection current = exchange;
        if (current != null) {
            current.flushToClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ClientConnection current = exchange;
        if (current != null && ctx.channel().isWritable()) {
            current.backendWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdleTimer();
        reusable = false;
        pool.remove(this);
        ClientConnection current = exchange;
        exchange = null;
        if (current != null) {
            current.backendFailed("backend-closed", null);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ClientConnection current = exchange;
            if (current != null) {
                current.bodyStalled();
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        reusable = false;
        ctx.close();
    }
}
