package io.junction.plugin.http;

import io.junction.api.protocol.ConnectionAddresses;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.EndpointRequest;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.Upstream;
import io.junction.api.upstream.UpstreamLimits;
import io.junction.plugin.http.codec.BodyChunk;
import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpEncoder;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpParseException;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.LastBodyChunk;
import io.junction.plugin.http.codec.RequestHead;
import io.junction.plugin.http.codec.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of an {@code http} pipeline, proxying one exchange at a time: reads a
 * request head (reading is explicit, one decoded message per {@code read()}, so pipelined requests
 * wait their turn), routes and balances it, sends it on a pooled backend connection, streams the
 * body each way with backpressure and re-frames both messages itself, so that neither side can
 * read framing different from Junction's.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    /** How the response body is framed towards the client. */
    private final HttpProxyHandler handler;
    /** Where the connection's responses go. */
    private final ClientWriter connectionOut;
    /** Where this exchange's response goes: {@code connectionOut}, or a translation in front of it (gRPC-Web). */
    private ClientWriter out;
    /** The client's HTTP/2 stream, when this serves one (one exchange, then the stream ends); null on HTTP/1.x. */
    private final Http2ClientWriter stream;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private long deadline;
    /** What happens at {@link #deadline}; null when nothing is due. A constant, not a lambda per connection or request. */
    private Deadline deadlineAction;
    /** The time of the read under way on this connection's event loop (see {@link CallbackClock}). */
    private CallbackClock clock;
    private final Runnable onTimer = this::timerFired;
    /** The response wait in force: a try's perTryTimeout (shorter than what is left overall). */
    private boolean responseWaitPerTry;
    /** The response wait in force: the gRPC client's deadline comes first. */
    private boolean responseWaitGrpcDeadline;
    private boolean headStarted;

    // The exchange in progress; request == null between exchanges.
    private RequestHead request;
    private HttpRoutes.Compiled route;
    private RequestTarget parsedTarget;
    private PickContext clientContext;
    /** What a connection's exchanges share about its client, kept on the connection. */
    private record Client(PickContext context, boolean tls) {
    }
    private static final AttributeKey<Client> CLIENT = AttributeKey.valueOf("junction.http.client");
    private boolean overTls;
    private Upstream upstream;
    private PickContext pick;
    private int attempt;
    private BackendConnection backend;
    private boolean requestComplete;
    private boolean awaitingBackendWritable;
    /** Request body written to the backend since the last flush: flushed when the client's read batch ends. */
    private boolean requestBodyUnflushed;
    private boolean responseStarted;
    private boolean closeAfterResponse;
    private boolean interimPending;
    private boolean retried;
    private boolean upgradeRequested;
    private boolean responseHeadBeforeRequestEnd;
    private long bodyBytes;
    /** Body bytes of the exchange in progress, both ways, for the route's meters (see {@link #countBodyBytes}). */
    private long requestBodyBytes;
    private long responseBodyBytes;
    /** What a failed backend did wrong, and which it was, for the log line of the error answered ({@link #logError}). */
    private String failureDetail;
    private Endpoint failedEndpoint;
    private boolean lingering;
    private boolean started;
    private final ArrayDeque<Object> pending = new ArrayDeque<>(2);
    private boolean wanted;
    private boolean dispatching;
    private int status;
    private long startNanos;

    // Upstream bookkeeping of the exchange: the try in flight, circuit-breaker slots, retries, buffering.
    private Endpoint endpoint;
    private EndpointRequest endpointRequest;
    private boolean holdsRequestSlot;
    private boolean holdsRetrySlot;
    private RetryPolicy retryPolicy;
    private int retries;
    private long firstTryNanos;
    private int exchangeSerial;
    private CompositeByteBuf bufferedBody;
    private HttpHeaders bufferedTrailers;
    private long bufferLimit;
    private String affinityValue;
    /** gRPC: the call this exchange is, or null when it is not a gRPC request (see GrpcCall). */
    private GrpcCall grpc;

    ClientConnection(HttpProxyHandler handler, ClientWriter out) {
        this.handler = handler;
        this.connectionOut = out;
        this.out = out;
        this.stream = out instanceof Http2ClientWriter h2 ? h2 : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.clock = CallbackClock.current();
        if (ctx.channel().isActive()) {
            awaitRequest();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!started) {
            awaitRequest();
        }
        ctx.fireChannelActive();
    }

    /** Called by the request decoder as bytes arrive: the first bytes of a request head arrived. */
    void bytesArrived() {
        if (request == null && !headStarted) {
            headStarted = true;
            schedule(handler.config().requestHeaderTimeout().toMillis(), Deadline.HEADER);
        }
    }

    private void headerTimedOut() {
        respondAndClose(408, "request-header-timeout"); // counted there, as every error answered
    }

    private void idleTimedOut() {
        ctx.close();
    }

    private void awaitRequest() {
        awaitRequest(clock.now());
    }

    private void awaitRequest(long now) {
        started = true;
        headStarted = false;
        if (stream == null) { // a stream opens with its request: nothing to wait for
            schedule(now, handler.config().idleTimeout().toMillis(), Deadline.IDLE);
        }
        requestNext();
    }

    /** Taken out of an HTTP/1.1 pipeline that turned out to be HTTP/2 (see {@link ClientRequestDecoder}). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        connectionOut.writePending(); // taken out for HTTP/2 (nothing is held then) or with the channel (released there)
        handler.forget(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering) { // closing: what the client still sends is read and dropped
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(msg);
        if (!dispatching) {
            deliver();
        }
    }

    /**
     * Asks for the next decoded message. Messages are taken one at a time, so a request's parts and
     * the pipelined requests after it wait their turn here. The socket is read while nothing waits
     * and paused while something does: in the usual keep-alive cycle (a request, its response, the
     * next request) auto-read never changes, which spares two epoll changes per request.
     */
    private void requestNext() {
        wanted = true;
        if (!dispatching) {
            deliver();
        }
    }

    private void deliver() {
        dispatching = true;
        try {
            while (wanted && !pending.isEmpty()) {
                wanted = false;
                dispatch(pending.poll());
            }
        } finally {
            dispatching = false;
        }
        boolean readMore = pending.isEmpty();
        if (!lingering && ctx.channel().config().isAutoRead() != readMore) {
            ctx.channel().config().setAutoRead(readMore);
        }
    }

    private void dispatch(Object msg) {
        if (msg instanceof RequestHead head) {
            onRequestHead(head);
        } else if (msg instanceof LastBodyChunk last) {
            onRequestEnd(last);
        } else if (msg instanceof BodyChunk chunk) {
            onRequestBody(chunk);
        } else if (msg instanceof HttpParseException invalid) {
            onInvalidRequest(invalid);
        } else if (msg instanceof GrpcCall.InvalidHead invalid) { // gRPC: a refused head answered with a gRPC status
            grpc = GrpcCall.refused(invalid.path(), clock.now());
            onInvalidRequest(invalid.invalid());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- request side ----

    private void onRequestHead(RequestHead head) {
        cancelTimer();
        request = head;
        route = null; // until a route takes it: the meters count it as active from then
        requestComplete = false;
        responseStarted = false;
        closeAfterResponse = !head.keepAlive() || handler.draining();
        status = 0;
        attempt = 0;
        retried = false;
        upgradeRequested = head.method().equals("GET") && head.version() == HttpVersion.HTTP_1_1
                && (head.framing() == BodyFraming.NONE || head.contentLength() == 0)
                && head.headers().containsToken("connection", "upgrade")
                && head.headers().containsToken("upgrade", "websocket");
        startNanos = clock.now();
        parsedTarget = RequestTarget.parse(head.target());
        String contentType = head.headers().get("content-type"); // gRPC and gRPC-Web are told by it: looked up once
        GrpcWeb.Writer web = contentType == null ? null : GrpcWeb.translateRequest(contentType, head.headers(), connectionOut);
        out = web != null ? web : connectionOut; // gRPC-Web: sent on as gRPC, answered as gRPC-Web
        grpc = contentType == null ? null
                : GrpcCall.of(web != null ? web.grpcContentType() : contentType, head.headers(), parsedTarget.path(), startNanos);
        if (grpc != null && grpc.malformedTimeout()) {
            respondError(400, "invalid-grpc-timeout");
            return;
        }
        PathNormalizer normalizer = handler.pathNormalizer();
        if (normalizer != null) {
            try {
                parsedTarget = parsedTarget.normalized(normalizer);
            } catch (PathNormalizer.InvalidPath invalid) {
                failureDetail = invalid.getMessage();
                respondError(400, invalid.reason());
                return;
            }
        }
        String path = parsedTarget.path();
        String host = HttpRoutes.hostOf(parsedTarget.authority() != null ? parsedTarget.authority() : head.headers().get("host"));
        route = handler.routes().select(new HttpRoutes.RequestView(head.method(), host, path, parsedTarget.query(), head.headers(),
                grpc != null));
        if (route == null) {
            respondError(404, "no-route");
            return;
        }
        handler.metrics().routed(route);
        HttpRouteAction action = route.action();
        if (action != null && action.answersDirectly()) {
            answerDirectly(action, parsedTarget.originForm());
            return;
        }
        upstream = route.upstream();
        long maxBody = handler.config().maxRequestBodySize().bytes();
        if (maxBody > 0 && head.framing() == BodyFraming.CONTENT_LENGTH && head.contentLength() > maxBody) {
            respondError(413, "request-body-too-large");
            return;
        }
        if (!upstream.limits().tryAcquire(UpstreamLimits.Resource.REQUEST)) {
            respondError(503, "upstream-overflow");
            return;
        }
        holdsRequestSlot = true;
        retryPolicy = action != null && action.retry() != null ? action.retry() : handler.config().retry();
        retries = 0;
        firstTryNanos = 0;
        bodyBytes = 0;
        pick = clientContext().withAttributes(name -> attribute(name, path, head.headers()));
        if (action != null && action.affinityCookie() != null) {
            affinityValue = Cookies.value(head.headers(), action.affinityCookie().name());
            Endpoint sticky = AffinityCookie.find(upstream.endpoints(), affinityValue);
            if (sticky != null) {
                pick = pick.preferring(sticky);
            }
        }
        if (action != null && action.bufferRequestBody() != null && hasBody(head)) {
            bufferLimit = action.bufferRequestBody().bytes();
            if (head.framing() == BodyFraming.CONTENT_LENGTH && head.contentLength() > bufferLimit) {
                respondError(413, "request-body-too-large");
                return;
            }
            bufferedBody = ctx.alloc().compositeBuffer(1024);
            if (head.expectsContinue()) {
                out.writeContinue(); // Junction reads the body itself
            }
            requestNext();
            return;
        }
        connect(startNanos);
    }

    private static boolean hasBody(RequestHead head) {
        return head.framing() == BodyFraming.CHUNKED || (head.framing() == BodyFraming.CONTENT_LENGTH && head.contentLength() > 0);
    }

    /** Whether Junction could send the request again whole: it has no body, or the body is buffered. */
    private boolean replayable() {
        return bufferedBody != null || request.framing() == BodyFraming.NONE
                || (request.framing() == BodyFraming.CONTENT_LENGTH && request.contentLength() == 0);
    }

    /** The upstream of the exchange, for logs and metrics; "none" before (or without) one. */
    private String upstreamName() {
        return upstream == null ? HttpMetrics.NO_UPSTREAM : upstream.name();
    }

    /**
     * What stays true of the client for the connection's life, looked up at its first request (by
     * then a PROXY header has been read and a TLS handshake has put its SslHandler in place).
     */
    private PickContext clientContext() {
        if (clientContext == null) {
            if (stream == null) { // HTTP/1.x: this connection is the client's
                Channel connection = ctx.channel();
                clientContext = PickContext.forClient(ConnectionAddresses.of(connection).client());
                overTls = connection.pipeline().get(SslHandler.class) != null;
                return clientContext;
            }
            Channel connection = ctx.channel().parent(); // a stream's connection
            Client client = connection.attr(CLIENT).get();
            if (client == null) {
                client = new Client(PickContext.forClient(ConnectionAddresses.of(connection).client()),
                        connection.pipeline().get(SslHandler.class) != null);
                connection.attr(CLIENT).set(client); // the streams of an HTTP/2 connection share it
            }
            clientContext = client.context();
            overTls = client.tls();
        }
        return clientContext;
    }

    private static String attribute(String name, String path, HttpHeaders headers) {
        if (name.equals("path")) {
            return path;
        }
        if (name.startsWith("header:")) {
            return headers.get(name.substring("header:".length()));
        }
        if (name.startsWith("cookie:")) {
            return Cookies.value(headers, name.substring("cookie:".length()));
        }
        return null;
    }

    /** @param now the time (nanoTime) when the caller read it just now, or 0 */
    private void connect(long now) {
        forgetFailure(); // what went wrong belongs to the attempt it went wrong in
        Optional<Endpoint> picked = upstream.pick(pick);
        if (picked.isEmpty()) {
            attempt++;
            respondError(attempt == 1 ? 503 : 502, attempt == 1 ? "no-healthy-endpoint" : "connect-failed");
            return;
        }
        connect(picked.get(), now);
    }

    /**
     * Sends the exchange to {@code chosen}, on a pooled connection or a new one.
     *
     * @param now the time (nanoTime) when the caller read it just now, or 0: a pooled connection
     *        taken at once starts its exchange then, without reading the clock again
     */
    private void connect(Endpoint chosen, long now) {
        attempt++;
        Future<BackendConnection> acquired = handler.pool().acquire(ctx.channel().eventLoop(), chosen, upstream);
        if (acquired.isDone()) {
            connected(acquired, chosen, now);
        } else {
            acquired.addListener(f -> connected(acquired, chosen, 0));
        }
    }

    private void connected(Future<BackendConnection> acquired, Endpoint endpoint, long knownNow) {
        if (!acquired.isSuccess() && acquired.cause() instanceof UpstreamOverflow) {
            if (ctx.channel().isActive() && request != null) {
                respondError(503, "upstream-overflow");
            }
            return;
        }
        if (!acquired.isSuccess()) {
            endpoint.connectFailed(acquired.cause());
            log.debug("upstream {}: connect to {} failed: {}", upstreamName(), endpoint.id(), acquired.cause().toString());
            if (!ctx.channel().isActive() || request == null) {
                return;
            }
            pick = pick.excluding(endpoint);
            if (attempt < handler.config().connectAttempts()) {
                connect(0);
            } else {
                respondError(502, "connect-failed");
            }
            return;
        }
        BackendConnection connection = acquired.getNow();
        long now = knownNow != 0 ? knownNow : clock.now();
        if (!ctx.channel().isActive() || request == null) {
            connection.release(true, handler.config().maxRequestsPerConnection(), now);
            return;
        }
        backend = connection;
        backend.attach(this, request.method(), now);
        this.endpoint = endpoint;
        endpointRequest = endpoint.startRequest(now);
        if (firstTryNanos == 0) {
            firstTryNanos = now;
        }
        sendRequestHead();
        if (requestComplete) { // sent again after a stale pooled connection
            awaitResponse();
        } else {
            requestNext(); // the body, or its end
        }
    }

    private void sendRequestHead() {
        RequestHead head = request;
        HttpHeaders headers = ForwardingHeaders.endToEnd(head.headers());
        String target = parsedTarget.originForm();
        // Host is always sent: from an absolute-form target, else the client's, else (HTTP/1.0) the endpoint.
        String authority = parsedTarget.authority() != null ? parsedTarget.authority() : head.headers().get("host");
        headers.set("Host", authority != null ? authority : backend.endpoint().id());
        if (head.version() == HttpVersion.HTTP_1_0 || bufferedBody != null) {
            // RFC 9110 10.1.1: an HTTP/1.0 client's Expect is not passed on; with a buffered body Junction answered it
            headers.remove("expect");
        }
        HttpRouteAction action = route.action();
        if (action != null) {
            if (action.rewritePathPrefix() != null) {
                target = RouteActions.rewritePrefix(target, route.match().pathPrefix(), action.rewritePathPrefix());
            }
            if (action.rewriteHost() != null) {
                headers.set("Host", action.rewriteHost());
            }
            RouteActions.apply(action.requestHeaders(), headers);
        }
        if (upgradeRequested) { // the one upgrade passed through: WebSocket, tunnelled once the backend agrees
            headers.set("Connection", "Upgrade");
            headers.set("Upgrade", head.headers().get("upgrade"));
        }
        InetSocketAddress client = clientContext().client().orElse(null);
        handler.forwarding().addToRequest(headers, client == null ? null : client.getAddress(), authority,
                head.version(), overTls);
        if (grpc != null && grpc.hasDeadline()) { // gRPC: the backend gets what is left of the client's deadline
            headers.set("grpc-timeout", GrpcTimeout.encode(Math.max(1, grpc.remainingNanos(clock.now()))));
        }
        RequestWriter writer = backend.writer();
        if (bufferedBody != null) { // the whole body, kept for a retry
            writer.writeHead(head, target, headers, false);
            writer.writeBody(bufferedBody.retainedDuplicate());
            writer.writeEnd(Unpooled.EMPTY_BUFFER, bufferedTrailers);
        } else {
            // without a body the head is flushed with the end of the request, one write
            writer.writeHead(head, target, headers, head.framing() != BodyFraming.NONE || requestComplete);
        }
    }

    private void onRequestBody(BodyChunk chunk) {
        ByteBuf content = chunk.content();
        if (request == null) { // the rest of a request already answered (an error before its end)
            content.release();
            requestNext();
            return;
        }
        requestBodyBytes += content.readableBytes();
        if (bufferedBody != null && !requestComplete) { // buffering: no backend yet
            if (bufferedBody.readableBytes() + (long) content.readableBytes() > bufferLimit) {
                content.release();
                respondError(413, "request-body-too-large");
                return;
            }
            bufferedBody.addComponent(true, content);
            requestNext();
            return;
        }
        if (backend == null) {
            content.release();
            return;
        }
        bodyBytes += content.readableBytes();
        long maxBody = handler.config().maxRequestBodySize().bytes();
        if (maxBody > 0 && bodyBytes > maxBody) { // a chunked body past the limit: the backend's copy is cut
            content.release();
            respondError(413, "request-body-too-large");
            return;
        }
        Channel channel = backend.channel();
        backend.writer().writeBody(content);
        requestBodyUnflushed = true;
        if (channel.isWritable()) {
            requestNext();
        } else {
            awaitingBackendWritable = true; // first: the flush may drain at once and report writability
            channel.flush();
        }
    }

    /** The backend can take more: read on if the request body was waiting for it. */
    void backendWritable() {
        if (awaitingBackendWritable) {
            awaitingBackendWritable = false;
            requestNext();
            flushRequestBody(); // what was waiting is written: it must not wait for the client's next read
        }
    }

    /**
     * The client's read batch ended: the body parts it carried go to the backend now. Without this a streamed
     * body (a gRPC stream, a slow upload) would sit in the backend connection's buffer until it filled or the
     * request ended.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushRequestBody();
        ctx.fireChannelReadComplete();
    }

    private void flushRequestBody() {
        if (requestBodyUnflushed) {
            requestBodyUnflushed = false;
            if (backend != null) {
                backend.channel().flush();
            }
        }
    }

    private void onRequestEnd(LastBodyChunk last) {
        if (request == null) { // the end of a request already answered: on to the next one
            last.content().release();
            requestNext();
            return;
        }
        requestBodyBytes += last.content().readableBytes();
        if (bufferedBody != null && !requestComplete) { // the whole body is here: now choose an endpoint
            requestComplete = true;
            if (bufferedBody.readableBytes() + (long) last.content().readableBytes() > bufferLimit) {
                last.content().release();
                closeAfterResponse = true;
                respondError(413, "request-body-too-large");
                return;
            }
            bufferedBody.addComponent(true, last.content());
            bufferedTrailers = last.trailers();
            connect(0);
            return;
        }
        requestComplete = true;
        if (backend == null) {
            last.content().release();
            return;
        }
        backend.writer().writeEnd(last.content(), last.trailers());
        if (!responseStarted) {
            awaitResponse();
        }
    }

    /**
     * Waits for the response head: the try's {@code perTryTimeout}, within what is left of
     * {@code responseTimeout} since the first try was sent. A try that times out is retried when the
     * policy says "timeout"; otherwise the client gets 504.
     */
    private void awaitResponse() {
        long overall = handler.config().responseTimeout().toNanos();
        long now = clock.now();
        long left = overall - (now - firstTryNanos);
        // gRPC: the client's deadline (grpc-timeout, counted from the request's arrival) when it comes first
        boolean grpcDeadline = grpc != null && grpc.hasDeadline() && grpc.remainingNanos(now) < left;
        if (grpcDeadline) {
            left = grpc.remainingNanos(now);
        }
        long wait = retryPolicy != null && retryPolicy.perTryTimeout() != null ? Math.min(retryPolicy.perTryTimeout().toNanos(), left) : left;
        responseWaitPerTry = wait < left;
        responseWaitGrpcDeadline = grpcDeadline;
        schedule(now, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), Deadline.RESPONSE);
    }

    private void responseTimedOut() {
        boolean perTry = responseWaitPerTry;
        boolean grpcDeadline = responseWaitGrpcDeadline;
        if (endpointRequest != null && (perTry || !grpcDeadline)) { // the client's own deadline is not the endpoint's fault
            endpointRequest.failed(EndpointRequest.Failure.TIMEOUT);
        }
        if (backend != null) {
            backend.abort();
            backend = null;
        }
        if (perTry && retryPolicy.onTimeout() && retry("per-try-timeout")) {
            return;
        }
        respondError(504, grpcDeadline && !perTry ? "grpc-deadline-exceeded" : "response-timeout");
    }

    /**
     * Sends the request again, to another endpoint, after a jittered back-off — if the policy, the
     * request and the upstream's retry budget allow it and another endpoint is available. The failed
     * try's backend connection is already gone. Returns false when the caller must answer instead.
     */
    private boolean retry(String why) {
        if (request == null || retryPolicy == null || retries >= retryPolicy.attempts()
                || (grpc == null && !retryPolicy.allowsMethod(request.method())) // gRPC: every call is a POST; its statuses say what is safe
                || !requestComplete || !replayable() || interimPending || responseStarted || upgradeRequested || !ctx.channel().isActive()) {
            return false;
        }
        PickContext next = endpoint == null ? pick : pick.excluding(endpoint);
        Optional<Endpoint> other = upstream.pick(next); // chosen now, used after the back-off: one pick per try
        if (other.isEmpty()) {
            return false;
        }
        endAttempt();
        if (!upstream.limits().tryAcquire(UpstreamLimits.Resource.RETRY)) {
            handler.metrics().error("retry-budget-exhausted");
            return false;
        }
        holdsRetrySlot = true;
        retries++;
        handler.metrics().error("retried-" + why);
        pick = next;
        attempt = 0;
        cancelTimer();
        int serial = exchangeSerial;
        ctx.executor().schedule(() -> {
            if (serial == exchangeSerial && request != null && ctx.channel().isActive()) {
                connect(other.get(), 0);
            }
        }, retryPolicy.backoffMillis(retries), TimeUnit.MILLISECONDS);
        return true;
    }

    /** The try in flight is over: its endpoint stops counting it, and a retry slot it held is given back. */
    private void endAttempt() {
        if (endpointRequest != null) {
            endpointRequest.finish();
            endpointRequest = null;
        }
        if (holdsRetrySlot) {
            holdsRetrySlot = false;
            upstream.limits().release(UpstreamLimits.Resource.RETRY);
        }
    }

    /** The exchange is over, however it ended: give back what it held. */
    private void endExchange() {
        out = connectionOut;
        forgetFailure(); // a failure retried past belongs to no later error's log line
        if (upstream != null) {
            endAttempt();
            if (holdsRequestSlot) {
                holdsRequestSlot = false;
                upstream.limits().release(UpstreamLimits.Resource.REQUEST);
            }
        }
        if (bufferedBody != null) {
            bufferedBody.release();
            bufferedBody = null;
        }
        bufferedTrailers = null;
        affinityValue = null;
        if (grpc != null) { // gRPC: one call ended; a call that never said how counts as UNKNOWN
            handler.grpcMetrics().record(grpc, grpc.status(GrpcStatus.UNKNOWN), clock.now() - grpc.arrivedNanos());
            grpc = null;
        }
        endpoint = null;
        pick = null; // it holds the request's headers: an idle connection keeps nothing of its last request
        parsedTarget = null;
        exchangeSerial++;
        request = null;
    }

    private void onInvalidRequest(HttpParseException invalid) {
        if (request == null) {
            startNanos = clock.now();
        }
        if (backend != null) { // a body that went bad halfway: the backend has a partial request
            backend.abort();
            backend = null;
        }
        closeAfterResponse = true;
        respondError(invalid.status(), invalid.reason());
    }

    // ---- response side, called by the BackendConnection ----

    void onResponse(Object msg) {
        if (msg instanceof ResponseHead head) {
            onResponseHead(head);
        } else if (msg instanceof LastBodyChunk last) {
            onResponseEnd(last);
        } else if (msg instanceof BodyChunk chunk) {
            writeResponseBody(chunk.content());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponseHead(ResponseHead head) {
        if (head.status() < 200) {
            if (head.status() == 101) {
                if (upgradeRequested && head.headers().containsToken("upgrade", "websocket")) {
                    if (endpointRequest != null) {
                        endpointRequest.answered(true, clock.now());
                    }
                    startTunnel(head);
                } else { // never asked for
                    backendFailed("unexpected-upgrade", null);
                }
            } else { // interim (100 Continue, 103): pass it on
                out.writeInterim(request, head.status(), head.reason(), ForwardingHeaders.endToEnd(head.headers()));
            }
            interimPending = true;
            return;
        }
        cancelTimer();
        GrpcStatus trailersOnly = grpc == null ? null : GrpcCall.trailersOnly(head); // gRPC: the call's status, answered at once
        if (endpointRequest != null) {
            endpointRequest.answered(head.status() < 500 && (trailersOnly == null || !trailersOnly.serverFault()), clock.now());
        }
        boolean retryGrpc = trailersOnly != null && retryPolicy != null && retryPolicy.onGrpcStatus(trailersOnly);
        if (retryPolicy != null && (retryPolicy.onStatus(head.status()) || retryGrpc) && backend != null) {
            BackendConnection answered = backend;
            backend = null;
            if (retry(retryGrpc ? "grpc-" + trailersOnly.retryName() : "status-" + head.status())) {
                answered.abort(); // its body is not wanted; closing is cheaper than reading it
                return;
            }
            backend = answered;
        }
        if (grpc != null) { // gRPC
            if (trailersOnly != null) {
                grpc.ended(trailersOnly);
            } else if (head.status() != 200 && head.headers().get("grpc-status") == null) { // an HTTP error, not a gRPC answer
                GrpcStatus mapped = GrpcStatus.fromHttp(head.status());
                respondGrpc(mapped, "HTTP status " + head.status() + " from the upstream", "upstream-http-status");
                return;
            }
        }
        responseStarted = true;
        responseHeadBeforeRequestEnd = !requestComplete;
        status = head.status();
        if (!head.keepAlive() && backend != null) {
            backend.notReusable();
        }
        String lengthField = head.framing() == BodyFraming.NONE ? head.headers().get("content-length") : null;
        HttpHeaders headers = ForwardingHeaders.stripHopByHop(head.headers()); // the head is not read again: in place
        if (handler.draining()) {
            closeAfterResponse = true;
        }
        if (!requestComplete && request.framing() != BodyFraming.NONE && (head.framing() == BodyFraming.NONE
                || (head.framing() == BodyFraming.CONTENT_LENGTH && head.contentLength() == 0))) {
            // A final response without a body before the request body (a refused Expect: 100-continue, say) ends
            // before the request does, so the connection closes after it (onResponseEnd): RFC 9110 10.1.1 says say so.
            closeAfterResponse = true;
        }
        handler.forwarding().addToResponse(headers, head.version());
        if (route.action() != null) {
            RouteActions.apply(route.action().responseHeaders(), headers);
            AffinityCookie affinity = route.action().affinityCookie();
            if (affinity != null && endpoint != null && !AffinityCookie.token(endpoint).equals(affinityValue)) {
                headers.add("Set-Cookie", affinity.setCookie(endpoint));
            }
        }
        closeAfterResponse = out.writeHead(request, status, head.reason(), headers, head.framing(), head.contentLength(), lengthField,
                closeAfterResponse);
    }

    /**
     * The backend switched to WebSocket: answer the client with the 101, then both connections become
     * a byte tunnel ({@link TunnelRelay}); the decoders step aside, handing on any bytes they held.
     */
    private void startTunnel(ResponseHead head) {
        cancelTimer();
        HttpHeaders headers = ForwardingHeaders.endToEnd(head.headers());
        headers.set("Connection", "Upgrade");
        headers.set("Upgrade", head.headers().get("upgrade"));
        handler.forwarding().addToResponse(headers, HttpVersion.HTTP_1_1);
        ByteBuf switching = ctx.alloc().buffer(256);
        HttpEncoder.writeResponseHead(switching, HttpVersion.HTTP_1_1, 101, head.reason(), headers);
        connectionOut.writePending();
        ctx.writeAndFlush(switching, ctx.voidPromise());
        handler.metrics().finished(route, 101, clock.now() - startNanos);
        countBodyBytes();
        handler.metrics().tunnelOpened();
        endExchange();
        BackendConnection upgraded = backend;
        backend = null;
        Channel client = ctx.channel();
        Channel server = upgraded.detachForTunnel(client);
        for (Object msg; (msg = pending.poll()) != null; ) {
            ReferenceCountUtil.release(msg); // a client may not send before the 101; nothing decoded is kept
        }
        client.closeFuture().addListener(f -> handler.metrics().tunnelClosed());
        client.pipeline().addBefore(ctx.name(), "http-tunnel-idle", new io.netty.handler.timeout.IdleStateHandler(0, 0,
                handler.config().tunnelIdleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        client.pipeline().replace(this, "http-tunnel", new TunnelRelay(server));
        client.pipeline().remove("http-request-decoder");
        client.config().setAutoRead(true);
    }

    private void writeResponseBody(ByteBuf content) {
        if (!responseStarted) {
            content.release();
            return;
        }
        responseBodyBytes += content.readableBytes();
        out.writeBody(content);
        if (!ctx.channel().isWritable() && backend != null) {
            backend.pauseReading();
            flushToClient();
        }
    }

    private void onResponseEnd(LastBodyChunk last) {
        if (!responseStarted) { // the end of an interim response
            last.content().release();
            interimPending = false;
            return;
        }
        if (grpc != null) { // gRPC: the status is in the trailers
            grpc.trailers(last.trailers());
        }
        responseBodyBytes += last.content().readableBytes();
        out.writeEnd(last.content(), last.trailers());
        if (requestComplete) {
            finishExchange(true);
        } else { // answered before the request ended (an early error): the rest of the request cannot be trusted
            closeAfterResponse = true;
            finishExchange(false);
        }
    }

    /** Flushes what was written to the client, with what the writer held back (a small response's head). */
    void flushToClient() {
        connectionOut.writePending();
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && backend != null) {
            backend.resumeReading();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Nothing moved to or from the backend for {@code responseTimeout} during the exchange: a client
     * that stopped sending its body (408), or a backend that stopped sending its response (cut). Waiting
     * for the response head is the response timer's, not this.
     */
    void bodyStalled() {
        if (!requestComplete) {
            closeAfterResponse = true;
            respondError(408, "request-body-timeout");
        } else if (responseStarted) {
            backendFailed("response-body-timeout", null);
        }
    }

    /** The backend connection failed during the exchange: closed, reset, or sent something malformed. */
    void backendFailed(String reason, HttpParseException invalid) {
        BackendConnection failed = backend;
        backend = null;
        if (failed != null) {
            failed.abort();
        }
        if (request == null) {
            return;
        }
        failureDetail = invalid == null ? null : invalid.reason(); // for the log line of the error answered
        failedEndpoint = failed == null ? null : failed.endpoint();
        if (!responseStarted) {
            // A pooled connection the backend closed just before our request (the keep-alive race):
            // a request without a body is sent again on a new connection. Not the endpoint's fault.
            boolean keepAliveRace = "backend-closed".equals(reason) && failed != null && failed.served() > 0
                    && request.framing() == BodyFraming.NONE && idempotent(request.method());
            // HTTP/2: a stream the backend refused was never processed (RFC 9113 8.7); any request Junction can replay goes again.
            boolean refusedStream = failed != null && failed.refused() && replayable();
            if (invalid == null && (keepAliveRace || refusedStream) && requestComplete && !retried && !interimPending) {
                handler.metrics().error(refusedStream ? "backend-refused-retried" : "backend-closed-retried");
                retried = true;
                attempt = 0;
                cancelTimer();
                if (endpointRequest != null) {
                    endpointRequest.finish();
                    endpointRequest = null;
                }
                connect(0);
                return;
            }
            if (endpointRequest != null) {
                endpointRequest.failed(EndpointRequest.Failure.RESET);
            }
            if (invalid == null && retryPolicy != null && retryPolicy.onReset() && retry(reason)) {
                return;
            }
            closeAfterResponse = closeAfterResponse || !requestComplete;
            respondError(502, reason);
        } else if (grpc != null && endGrpcStream(GrpcStatus.UNAVAILABLE, reason)) { // gRPC: the cut call ends with a status instead
            return;
        } else { // the response was cut short: the client can only see a close
            logError(502, reason);
            handler.metrics().error(reason);
            handler.metrics().abandoned(route);
            countBodyBytes();
            endExchange();
            flushToClient();
            ctx.close();
        }
    }

    // ---- ending an exchange ----

    /**
     * One line per error Junction answers: WARN for its own 5xx (the backends' trouble, which operators must
     * see, as NGINX logs an upstream's), DEBUG for a client's 4xx (which a client could otherwise flood the log
     * with). With what an operator needs to find it: pipeline, client, request, upstream and endpoint.
     */
    private void logError(int errorStatus, String reason) {
        boolean serverSide = errorStatus >= 500;
        if (serverSide ? log.isWarnEnabled() : log.isDebugEnabled()) {
            Channel connection = stream != null ? ctx.channel().parent() : ctx.channel();
            Endpoint at = failedEndpoint != null ? failedEndpoint : endpoint;
            String line = String.format("pipeline %s: %d %s for %s %s from %s, upstream %s%s%s%s", handler.metrics().pipeline(),
                    errorStatus, reason, request == null ? "-" : request.method(), request == null ? "-" : request.target(),
                    connection.remoteAddress(), upstreamName(), at == null ? "" : ", endpoint " + at.id(),
                    failureDetail == null ? "" : ": " + failureDetail, responseStarted ? " (response cut)" : "");
            if (serverSide) {
                log.warn(line);
            } else {
                log.debug(line);
            }
        }
        forgetFailure();
    }

    private void forgetFailure() {
        failureDetail = null;
        failedEndpoint = null;
    }

    /** Adds the exchange's body bytes to its route's meters, once: the counts start again for the next exchange. */
    private void countBodyBytes() {
        handler.metrics().bodyBytes(route, requestBodyBytes, responseBodyBytes);
        requestBodyBytes = 0;
        responseBodyBytes = 0;
    }

    /** Answers the exchange with an error (or cuts it, once its response began); counts it under {@code reason}, once. */
    private void respondError(int errorStatus, String reason) {
        cancelTimer();
        logError(errorStatus, reason);
        if (responseStarted && grpc != null && endGrpcStream(GrpcStatus.forLocalError(errorStatus), reason)) { // gRPC
            return;
        }
        if (responseStarted) {
            handler.metrics().error(reason);
            handler.metrics().abandoned(route);
            countBodyBytes();
            endExchange();
            if (backend != null) {
                backend.abort();
                backend = null;
            }
            ctx.close();
            return;
        }
        if (backend != null) {
            backend.abort();
            backend = null;
        }
        if (grpc != null) { // gRPC: the error as a status
            respondGrpc(GrpcStatus.forLocalError(errorStatus), errorStatus + " " + reasonPhrase(errorStatus) + " (" + reason + ")", reason);
            return;
        }
        handler.metrics().error(reason);
        byte[] body = (errorStatus + " " + reasonPhrase(errorStatus) + " (" + reason + ")\n").getBytes(StandardCharsets.US_ASCII);
        HttpHeaders headers = new HttpHeaders();
        headers.add("Content-Type", "text/plain; charset=utf-8");
        headers.add("Content-Length", Integer.toString(body.length));
        headers.add("x-junction-error", reason);
        writeLocalResponse(errorStatus, reasonPhrase(errorStatus), headers, body);
    }

    // ---- gRPC: Junction's own answers to a gRPC call ----

    /** Answers the gRPC call trailers-only (status 200, no body): {@code status} and {@code message}, and the reason. */
    private void respondGrpc(GrpcStatus status, String message, String reason) {
        if (backend != null) {
            backend.abort();
            backend = null;
        }
        handler.metrics().error(reason);
        grpc.ended(status);
        writeLocalResponse(200, "OK", status.trailersOnly(message, reason, stream == null), new byte[0]);
    }

    /**
     * The exchange failed after the response began (the backend went away, a body timed out): on an HTTP/2
     * stream the call still ends properly, with trailers carrying {@code status}, instead of a reset the client
     * would read as CANCELLED. Returns false on HTTP/1.x, where only a close can say it.
     */
    private boolean endGrpcStream(GrpcStatus status, String reason) {
        if (stream == null && !(out instanceof GrpcWeb.Writer)) { // gRPC-Web carries trailers in the body, on HTTP/1.1 too
            return false;
        }
        if (backend != null) {
            backend.abort();
            backend = null;
        }
        handler.metrics().error(reason);
        grpc.ended(status);
        out.writeEnd(Unpooled.EMPTY_BUFFER, status.fields("the exchange failed mid-response (" + reason + ")", reason));
        finishExchange(requestComplete);
        return true;
    }

    /** Writes a response Junction makes itself and ends the exchange. */
    private void writeLocalResponse(int answer, String reasonText, HttpHeaders headers, byte[] body) {
        cancelTimer();
        status = answer;
        responseStarted = true;
        if (!requestComplete && (request == null || request.framing() != BodyFraming.NONE)) {
            closeAfterResponse = true; // an unread body: closing is the only safe way past it
        }
        if (handler.draining()) {
            closeAfterResponse = true;
        }
        out.writeLocal(request, answer, reasonText, headers, body, closeAfterResponse);
        finishExchange(requestComplete);
    }

    /** RFC 9110 9.2.2: the methods a proxy may send again after a failure. */
    private static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    /** A route that answers by itself: a redirect or a fixed response, as if from a backend. */
    private void answerDirectly(HttpRouteAction action, String target) {
        HttpHeaders headers = new HttpHeaders();
        byte[] body;
        int answer;
        if (action.redirect() != null) {
            answer = action.redirect().status();
            String location = action.redirect().location();
            if (action.redirect().keepPath()) {
                location = (location.endsWith("/") ? location.substring(0, location.length() - 1) : location) + target;
            }
            headers.add("Location", location);
            body = new byte[0];
        } else {
            answer = action.respond().status();
            action.respond().headers().forEach(headers::add);
            body = action.respond().body().getBytes(StandardCharsets.UTF_8);
        }
        RouteActions.apply(action.responseHeaders(), headers);
        headers.set("Content-Length", Integer.toString(body.length));
        writeLocalResponse(answer, ClientConnection.reasonPhrase(answer), headers, body);
    }

    private void respondAndClose(int errorStatus, String reason) {
        if (request == null) {
            startNanos = clock.now();
        }
        closeAfterResponse = true;
        respondError(errorStatus, reason);
    }

    private void finishExchange(boolean clean) {
        cancelTimer();
        long now = clock.now();
        handler.metrics().finished(route, status, now - startNanos);
        countBodyBytes();
        if (backend != null) {
            backend.release(clean && !responseHeadBeforeRequestEnd, handler.config().maxRequestsPerConnection(), now);
            backend = null;
        }
        endExchange();
        route = null;
        upstream = null;
        interimPending = false;
        responseStarted = false;
        requestComplete = false;
        responseHeadBeforeRequestEnd = false;
        status = 0;
        if (stream != null) { // the stream ends with its response; an unfinished request is reset once that is sent
            flushToClient();
            if (!clean) {
                stream.resetWhenWritten();
            }
            return;
        }
        if (closeAfterResponse || handler.draining()) {
            closeLingering();
            return;
        }
        flushToClient();
        awaitRequest(now);
    }

    /**
     * Closes after the response, without losing it: closing a socket with unread request bytes makes
     * the kernel send a reset, which can destroy the response before the client reads it. So the
     * output is shut (the client sees the end), what still arrives is read and dropped, and the
     * socket is closed when the client closes or after {@link #LINGER_MILLIS} at most.
     */
    private void closeLingering() {
        lingering = true;
        cancelTimer();
        for (Object msg; (msg = pending.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        connectionOut.writePending();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !(f.channel() instanceof io.netty.channel.socket.DuplexChannel duplex)) {
                f.channel().close();
                return;
            }
            duplex.shutdownOutput();
            f.channel().config().setAutoRead(true);
            schedule(LINGER_MILLIS, Deadline.LINGER_END);
        });
    }

    private static final long LINGER_MILLIS = 2000;

    /** The deadlines a connection can be waiting for, one at a time. */
    private enum Deadline { IDLE, HEADER, RESPONSE, LINGER_END }

    /** Drain: closes the connection now if it is between exchanges; otherwise the current response says close. */
    void closeIfIdle() {
        ctx.executor().execute(() -> {
            if (request == null) {
                connectionOut.writePending();
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        for (Object msg; (msg = pending.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        connectionOut.discardPending();
        if (backend != null) { // the client left mid-exchange: the backend connection is in an unknown state
            backend.abort();
            backend = null;
        }
        if (request != null) {
            handler.metrics().abandoned(route);
            countBodyBytes();
        }
        if (grpc != null && !grpc.statusKnown()) { // gRPC: the client went away
            grpc.ended(GrpcStatus.CANCELLED);
        }
        endExchange();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /**
     * Sets the one deadline of this connection (the idle, header, response or linger timeout in
     * force), replacing the previous one. Lazy: a single task stays scheduled and, when it fires
     * before the deadline it finds, re-arms itself for the rest, so the usual request cycle
     * moves a field instead of adding and removing scheduled tasks.
     */
    private void schedule(long millis, Deadline action) {
        schedule(clock.now(), millis, action);
    }

    /** {@link #schedule(long, Deadline)} with the time already read ({@code now}, nanoTime). */
    private void schedule(long now, long millis, Deadline action) {
        deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
        deadlineAction = action;
        if (timer == null || timerAt - deadline > 0) {
            if (timer != null) {
                timer.cancel(false);
            }
            timerAt = deadline;
            timer = ctx.executor().schedule(onTimer, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelTimer() {
        deadlineAction = null;
    }

    private void timerFired() {
        timer = null;
        if (deadlineAction == null || !ctx.channel().isOpen()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            Deadline action = deadlineAction;
            deadlineAction = null;
            switch (action) {
                case IDLE -> idleTimedOut();
                case HEADER -> headerTimedOut();
                case RESPONSE -> responseTimedOut();
                case LINGER_END -> ctx.channel().close();
            }
        } else {
            timerAt = deadline;
            timer = ctx.executor().schedule(onTimer, left, TimeUnit.NANOSECONDS);
        }
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }
}
