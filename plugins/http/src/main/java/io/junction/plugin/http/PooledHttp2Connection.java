package io.junction.plugin.http;

import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.Upstream;
import io.junction.api.upstream.UpstreamLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection of {@link Http2BackendPool}, the last handler of its pipeline: counts its streams
 * against the backend's SETTINGS_MAX_CONCURRENT_STREAMS (Junction's own cap until they arrive), hands
 * out streams once the connection is usable (TCP, TLS with h2 selected by ALPN, the backend's SETTINGS),
 * stops taking streams after a GOAWAY or {@code backendHttp2.maxStreamsPerConnection} streams and then closes with
 * its last stream, and closes after {@code poolIdleTimeout} without streams. Touched on its event loop only.
 */
final class PooledHttp2Connection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(PooledHttp2Connection.class);

    private final Http2BackendPool pool;
    private final List<PooledHttp2Connection> siblings;
    private final Endpoint endpoint;
    private final Upstream upstream;
    private final EventLoop loop;
    private final boolean tls;
    /** Requests waiting for the connection to become usable, each holding a PENDING slot. */
    private final ArrayDeque<Promise<BackendConnection>> waiters = new ArrayDeque<>();
    private Channel channel;
    private Http2FrameCodec codec;
    private Http2StreamChannelBootstrap streamOpener;
    private boolean ready;
    private boolean closed;
    private boolean goAway;
    private int maxStreams;
    /** Streams open or promised. */
    private int streams;
    /** Streams promised over the connection's life. */
    private int opened;
    /** Streams opened over the connection's life. */
    private int started;
    private long idleSince;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> settingsTimer;

    PooledHttp2Connection(Http2BackendPool pool, List<PooledHttp2Connection> siblings, Endpoint endpoint, Upstream upstream,
            EventLoop loop) {
        this.pool = pool;
        this.siblings = siblings;
        this.endpoint = endpoint;
        this.upstream = upstream;
        this.loop = loop;
        this.tls = upstream.tls().isPresent();
        this.maxStreams = pool.config().backendHttp2().maxConcurrentStreams();
    }

    /** Whether a new request may have a stream here: not closing, below the stream cap and the request cap. */
    boolean hasFreeStream() {
        int maxRequests = pool.config().backendHttp2().maxStreamsPerConnection();
        return !closed && !retiring() && streams < maxStreams && (maxRequests == 0 || opened < maxRequests);
    }

    private boolean retiring() {
        return goAway || (codec != null && codec.connection().goAwayReceived());
    }

    /**
     * The handler to put between the codec and the stream multiplexer: it sees a GOAWAY before the streams
     * it refuses are told, so that their requests, sent again at once, never come back to this connection.
     */
    ChannelHandler goAwayWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2GoAwayFrame) {
                    goAway = true;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** Promises a stream: opened now when the connection is usable, else when it becomes so. */
    Future<BackendConnection> newStream(UpstreamLimits breaker) {
        streams++;
        opened++;
        idleSince = 0;
        if (ready) {
            Promise<BackendConnection> promise = loop.newPromise();
            open(promise);
            return promise;
        }
        if (!breaker.tryAcquire(UpstreamLimits.Resource.PENDING)) {
            streams--;
            opened--;
            return loop.newFailedFuture(new UpstreamOverflow(UpstreamLimits.Resource.PENDING));
        }
        Promise<BackendConnection> promise = loop.newPromise();
        promise.addListener(f -> breaker.release(UpstreamLimits.Resource.PENDING));
        waiters.add(promise);
        return promise;
    }

    private void open(Promise<BackendConnection> promise) {
        if (++started > 1) { // the first stream is the connection's opening, every later one a reuse
            pool.metrics().backendReused(upstream.name());
        }
        Http2ResponseReader reader = new Http2ResponseReader();
        // As on an HTTP/1.1 connection: bytes that stop moving mid-exchange end it (BackendConnection's timer).
        BackendConnection handler = BackendConnection.stream(endpoint, connection -> new Http2RequestWriter(connection, reader, tls),
                pool.config().responseTimeout().toMillis());
        // One bootstrap per connection: open() runs on this event loop and takes the handler at once.
        streamOpener.handler(reader).open().addListener(f -> {
            if (f.isSuccess()) {
                Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                stream.pipeline().addLast("http-backend", handler);
                stream.closeFuture().addListener(c -> streamClosed());
                promise.setSuccess(handler);
            } else {
                streamClosed();
                promise.setFailure(f.cause());
            }
        });
    }

    private void streamClosed() {
        streams--;
        if (streams > 0 || closed) {
            return;
        }
        int maxRequests = pool.config().backendHttp2().maxStreamsPerConnection();
        if (retiring() || (maxRequests > 0 && opened >= maxRequests)) {
            channel.close();
            return;
        }
        idleSince = System.nanoTime();
        if (timer == null) {
            armIdleTimer(pool.config().poolIdleTimeout().toMillis());
        }
    }

    private void armIdleTimer(long millis) {
        timer = loop.schedule(this::idleTimerFired, millis, TimeUnit.MILLISECONDS);
    }

    private void idleTimerFired() {
        timer = null;
        if (closed || streams > 0 || !ready) {
            return; // busy again: the stream that ends last arms it anew
        }
        long left = pool.config().poolIdleTimeout().toNanos() - (System.nanoTime() - idleSince);
        if (left > 0) {
            armIdleTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } else {
            channel.close();
        }
    }

    /** Drain: closes the connection if no stream is open. */
    void closeIfIdle() {
        if (ready && streams == 0 && channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        codec = ctx.pipeline().get(Http2FrameCodec.class);
        streamOpener = new Http2StreamChannelBootstrap(channel);
        // Bounded like a connect: a backend that never sends its SETTINGS (not HTTP/2, or stuck) fails the waiting requests.
        settingsTimer = loop.schedule(() -> {
            settingsTimer = null;
            if (!ready && !closed) {
                failed(new IOException("no HTTP/2 SETTINGS from " + endpoint.id() + " within connectTimeout"));
            }
        }, pool.config().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // After the codec's preface and its own widening of the connection window (it is ahead in the pipeline), up to
        // connectionWindow; through TLS, held until the handshake is done.
        Http2Stream connectionStream = codec.connection().connectionStream();
        int current = codec.connection().local().flowController().initialWindowSize(connectionStream);
        long increment = pool.config().backendHttp2().connectionWindow().bytes() - current;
        if (increment > 0) {
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame((int) increment));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            failed(handshake.cause());
        } else if (event instanceof SslHandshakeCompletionEvent) {
            String selected = ctx.pipeline().get(SslHandler.class).applicationProtocol();
            if (!ApplicationProtocolNames.HTTP_2.equals(selected)) {
                log.warn("upstream {}: {} did not select h2 by ALPN (selected: {}); the upstream has \"httpProtocol\": \"h2\", "
                        + "so the connection is not used", upstream.name(), endpoint.id(), selected == null ? "none" : selected);
                failed(new IOException("TLS handshake with " + endpoint.id() + " did not select h2 by ALPN"));
                return;
            }
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame settings) {
                Long max = settings.settings().maxConcurrentStreams();
                if (max != null) {
                    maxStreams = (int) Math.min(pool.config().backendHttp2().maxConcurrentStreams(), max);
                }
                if (!ready && !closed) {
                    usable();
                }
            } else if (msg instanceof Http2GoAwayFrame) {
                if (streams == 0) { // else the last stream to end closes it
                    ctx.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The backend's SETTINGS arrived: the waiting requests get their streams, as many as fit, the rest go elsewhere. */
    private void usable() {
        ready = true;
        if (settingsTimer != null) {
            settingsTimer.cancel(false);
            settingsTimer = null;
        }
        pool.metrics().backendOpened(upstream.name());
        int granted = 0;
        for (Promise<BackendConnection> promise; (promise = waiters.poll()) != null; ) {
            if (granted < maxStreams && !retiring()) {
                granted++;
                open(promise);
            } else { // promised more than the backend allows: another connection takes it
                streams--;
                opened--;
                elsewhere(promise);
            }
        }
        if (streams == 0) {
            idleSince = System.nanoTime();
            armIdleTimer(pool.config().poolIdleTimeout().toMillis());
        }
    }

    private void elsewhere(Promise<BackendConnection> promise) {
        pool.acquire(loop, endpoint, upstream).addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess((BackendConnection) f.getNow());
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    /** The connection cannot be used: the requests waiting for it fail, as after a failed connect. */
    void failed(Throwable cause) {
        closed = true;
        siblings.remove(this);
        for (Promise<BackendConnection> promise; (promise = waiters.poll()) != null; ) {
            promise.tryFailure(cause);
        }
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (settingsTimer != null) {
            settingsTimer.cancel(false);
            settingsTimer = null;
        }
        failed(new IOException("connection to " + endpoint.id() + " closed before it was usable"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("upstream {}: HTTP/2 connection to {}: {}", upstream.name(), endpoint.id(), cause.toString());
        ctx.close();
    }
}
