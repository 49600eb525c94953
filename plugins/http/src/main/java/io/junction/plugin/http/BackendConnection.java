package io.junction.plugin.http;

import io.junction.api.upstream.Endpoint;
import io.junction.plugin.http.codec.HttpParseException;
import io.junction.plugin.http.codec.ResponseDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One connection to an endpoint, serving one exchange at a time and pooled between exchanges
 * ({@link BackendPool}). Hands the decoded response to the exchange it serves; idle, any byte or
 * a close from the backend ends it.
 *
 * <p>The same handler serves one stream of an HTTP/2 connection ({@link #stream}): then there is no
 * pool and no decoder ({@link Http2ResponseReader} decodes in front of it), the stream serves one
 * exchange and is closed on release, and a stream the backend refused counts as {@link #refused()}.
 *
 * <p>Bytes that stop moving either way for {@code stallTimeout} mid-exchange (a stalled body) end the
 * exchange ({@link ClientConnection#bodyStalled}): reads and writes stamp the time, and one lazily re-armed
 * timer per connection checks it (it also serves the pool's idle timeout), so an exchange schedules nothing
 * and a write needs no promise.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {

    private final Endpoint endpoint;
    /** Null for an HTTP/2 stream, which is never pooled. */
    private final BackendPool.LoopPool pool;
    /** Null for an HTTP/2 stream. */
    private final ResponseDecoder decoder;
    private final Function<BackendConnection, RequestWriter> writers;
    private boolean refused;
    private Channel channel;
    private RequestWriter writer;
    private ClientConnection exchange;
    private int requests;
    private boolean reusable = true;
    private final long stallTimeoutNanos;
    /** The one timer of this connection: the stall check while busy, the pool's idle timeout while pooled. */
    private ScheduledFuture<?> timer;
    /** When the timer fires, at the earliest (nanoTime). */
    private long timerAt;
    /** When the connection last went back to the pool; 0 while it serves an exchange. */
    private long idleSince;
    /** When a byte last moved either way during the exchange (nanoTime). */
    private long lastActivity;
    private final Runnable onTimer = this::timerFired;
    /** The time of the read under way on this connection's event loop (see {@link CallbackClock}). */
    private CallbackClock clock;
    /** The idle gauge of this connection's upstream; null for an HTTP/2 stream, which is never pooled here. */
    private final AtomicInteger idleGauge;

    /** A pooled HTTP/1.1 connection; {@code idleGauge} counts its upstream's idle ones. */
    BackendConnection(Endpoint endpoint, BackendPool.LoopPool pool, ResponseDecoder decoder, long stallTimeoutMillis,
            AtomicInteger idleGauge) {
        this(endpoint, pool, decoder, connection -> new Http1RequestWriter(connection), stallTimeoutMillis, idleGauge);
    }

    private BackendConnection(Endpoint endpoint, BackendPool.LoopPool pool, ResponseDecoder decoder,
            Function<BackendConnection, RequestWriter> writers, long stallTimeoutMillis, AtomicInteger idleGauge) {
        this.endpoint = endpoint;
        this.pool = pool;
        this.decoder = decoder;
        this.writers = writers;
        this.stallTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(stallTimeoutMillis);
        this.idleGauge = idleGauge;
    }

    /**
     * The handler of one HTTP/2 stream to {@code endpoint}, whose requests {@code writers} frames; an exchange
     * whose bytes stop moving for {@code stallTimeoutMillis} is ended.
     */
    static BackendConnection stream(Endpoint endpoint, Function<BackendConnection, RequestWriter> writers, long stallTimeoutMillis) {
        return new BackendConnection(endpoint, null, null, writers, stallTimeoutMillis, null);
    }

    AtomicInteger idleGauge() {
        return idleGauge;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        this.clock = CallbackClock.current();
        this.writer = writers.apply(this);
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

    /** Requests this connection was given before the current one; 0 for a fresh connection (and for a stream). */
    int served() {
        return requests - 1;
    }

    /**
     * Whether the backend never processed the request (an HTTP/2 stream refused with REFUSED_STREAM,
     * above a GOAWAY's last stream, or whose HEADERS could not be sent), so it may be sent again.
     */
    boolean refused() {
        return refused;
    }

    /** The request could not be sent: the backend never saw it. */
    void notSent() {
        refused = true;
    }

    /**
     * Starts serving an exchange whose request (method given) is about to be written.
     *
     * @param now the time (nanoTime): the request's first bytes count as written then
     */
    void attach(ClientConnection exchange, String method, long now) {
        idleSince = 0; // the idle timer, if armed, finds the connection busy and checks for a stall instead
        lastActivity = now;
        armTimer(lastActivity + stallTimeoutNanos);
        this.exchange = exchange;
        requests++;
        if (decoder != null) { // a stream's reader learns the method from its request writer
            decoder.expect(method);
        }
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /**
     * The exchange is over and the connection may serve another: back to the pool, or closed.
     *
     * @param now the time (nanoTime): a pooled connection is idle from then
     */
    void release(boolean clean, int maxRequests, long now) {
        exchange = null;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        if (pool == null) { // a stream serves one exchange
            if (!clean) {
                channel.close(); // RST_STREAM (CANCEL) unless the stream already ended
            } else if (channel.isActive()) {
                // Both sides ended: the codec closes the stream once this read is done; a close now would reset it.
                channel.eventLoop().execute(() -> channel.close());
            }
            return;
        }
        if (!clean || !reusable || !channel.isActive() || (maxRequests > 0 && requests >= maxRequests)) {
            channel.close();
            return;
        }
        if (pool.offer(this)) {
            idleSince = now;
            armTimer(idleSince + TimeUnit.MILLISECONDS.toNanos(pool.idleTimeoutMillis()));
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
        if (pool == null) {
            // A stream: closed after the frame being read, if any, is handled (a reset from the backend is not answered with one).
            channel.eventLoop().execute(() -> channel.close());
        } else {
            channel.close();
        }
    }

    /**
     * The connection now tunnels to {@code client} (an upgrade): it leaves the pool for good and its
     * decoder steps aside, handing any bytes after the 101 to the tunnel. Returns the channel.
     */
    Channel detachForTunnel(Channel client) {
        exchange = null;
        reusable = false;
        cancelTimer();
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

    /** Bytes moved to the backend: the exchange is not stalled. Called by the request writers. */
    void wrote() {
        lastActivity = clock.now();
    }

    /**
     * Makes sure the timer fires by {@code at} (nanoTime). One task at a time, re-armed lazily: it is
     * rescheduled only when it would fire too late, not scheduled and cancelled per exchange.
     */
    private void armTimer(long at) {
        if (timer != null && at - timerAt >= 0) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = at;
        timer = channel.eventLoop().schedule(onTimer, Math.max(0, at - clock.now()), TimeUnit.NANOSECONDS);
    }

    private void timerFired() {
        timer = null;
        if (!channel.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        if (exchange != null) { // busy: has the exchange stalled?
            long left = stallTimeoutNanos - (now - lastActivity);
            if (left > 0) {
                armTimer(now + left);
                return;
            }
            lastActivity = now; // as an idle-state handler would: the next check is a full timeout later
            armTimer(now + stallTimeoutNanos);
            exchange.bodyStalled();
        } else if (idleSince != 0 && pool != null) { // pooled: idle for too long?
            long left = TimeUnit.MILLISECONDS.toNanos(pool.idleTimeoutMillis()) - (now - idleSince);
            if (left > 0) {
                armTimer(now + left);
            } else {
                pool.remove(this);
                channel.close();
            }
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientConnection current = exchange;
        if (current == null) { // a pooled connection has nothing to say: whatever it is, it is not ours
            ReferenceCountUtil.release(msg);
            reusable = false;
            if (pool != null) {
                pool.remove(this);
                ctx.close();
            }
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
            lastActivity = clock.now();
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
        cancelTimer();
        reusable = false;
        if (pool != null) {
            pool.remove(this);
        }
        ClientConnection current = exchange;
        exchange = null;
        if (current != null) { // a stream that ends early on a live connection was reset
            boolean reset = pool == null && channel.parent() != null && channel.parent().isActive();
            current.backendFailed(reset ? "backend-reset" : "backend-closed", null);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof Http2ResetFrame || event instanceof Http2GoAwayFrame) { // on a stream: the backend ended it
            // Above a GOAWAY's last stream or REFUSED_STREAM: never processed (RFC 9113 8.7), so it may be sent again.
            refused = event instanceof Http2GoAwayFrame || ((Http2ResetFrame) event).errorCode() == Http2Error.REFUSED_STREAM.code();
            ReferenceCountUtil.release(event);
            ClientConnection current = exchange;
            exchange = null;
            reusable = false;
            if (current != null) {
                current.backendFailed("backend-reset", null);
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
