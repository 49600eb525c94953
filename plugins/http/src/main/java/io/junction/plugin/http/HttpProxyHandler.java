package io.junction.plugin.http;

import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.runtime.EventLoops;
import io.junction.plugin.http.codec.HttpLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code http} protocol handler of one pipeline: installs the strict request decoder and a
 * {@link ClientConnection} on each accepted connection — or, when the client opens with the HTTP/2
 * preface, HTTP/2 with a {@code ClientConnection} per stream — and owns what connections share: the
 * compiled routes, the backend pool, the metrics.
 */
public final class HttpProxyHandler implements ProtocolHandler {

    private final HttpProxyConfig config;
    private final HttpLimits limits;
    private final HttpRoutes routes;
    private final HttpMetrics metrics;
    private final GrpcMetrics grpcMetrics;
    private final BackendPool pool;
    private final ForwardingHeaders forwarding;
    private final PathNormalizer pathNormalizer;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Http2ConnectionGuard> http2Connections = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    @Inject
    public HttpProxyHandler(HttpProxyConfig config, Pipeline pipeline, EventLoops eventLoops, MeterRegistry registry) {
        this.config = config;
        this.limits = new HttpLimits((int) config.maxRequestLine().bytes(), (int) config.maxHeaderSize().bytes(),
                config.maxHeaderCount(), HttpLimits.defaults().maxChunkExtensionLength());
        this.routes = new HttpRoutes(pipeline.routes());
        this.metrics = new HttpMetrics(pipeline.name(), registry, routes);
        this.grpcMetrics = new GrpcMetrics(pipeline.name(), registry);
        this.pool = new BackendPool(config, eventLoops, limits, metrics);
        this.forwarding = new ForwardingHeaders(config);
        this.pathNormalizer = config.pathNormalizer();
    }

    @Override
    public void initChannel(Channel channel) {
        channel.config().setAutoRead(true); // paused by the connection while decoded messages wait
        ClientConnection connection = new ClientConnection(this, new Http1ClientWriter(channel));
        connections.add(connection); // until its handlerRemoved, which the channel's end calls too
        channel.pipeline()
                .addLast("http-request-decoder", new ClientRequestDecoder(limits, connection, config.http2().enabled() ? this : null))
                .addLast("http-client", connection);
    }

    /**
     * The client opened with the HTTP/2 preface: its HTTP/1.1 connection makes way for HTTP/2 handlers, placed
     * after {@code after} (the request decoder that saw the preface, which then leaves by itself).
     */
    void switchToHttp2(ChannelPipeline pipeline, String after) {
        pipeline.remove("http-client"); // its handlerRemoved forgets the connection and stops its timer
        Http2Downstream.install(pipeline, after, this);
    }

    /** An HTTP/2 client connection began; drain sends it GOAWAY. */
    void http2Opened(Channel channel, Http2ConnectionGuard guard) {
        http2Connections.add(guard);
        metrics.http2ConnectionOpened();
        channel.closeFuture().addListener(f -> {
            http2Connections.remove(guard);
            metrics.http2ConnectionClosed();
        });
        if (draining) { // the preface came after drain() went through the connections (or a reload's handoff raced it)
            guard.drain();
        }
    }

    /** An HTTP/1.1 connection that became something else. */
    void forget(ClientConnection connection) {
        connections.remove(connection);
    }

    @Override
    public void drain() {
        draining = true;
        pool.closeIdle();
        for (ClientConnection connection : connections) {
            connection.closeIfIdle();
        }
        for (Http2ConnectionGuard connection : http2Connections) {
            connection.drain();
        }
    }

    HttpLimits limits() {
        return limits;
    }

    HttpProxyConfig config() {
        return config;
    }

    HttpRoutes routes() {
        return routes;
    }

    HttpMetrics metrics() {
        return metrics;
    }

    GrpcMetrics grpcMetrics() {
        return grpcMetrics;
    }

    BackendPool pool() {
        return pool;
    }

    ForwardingHeaders forwarding() {
        return forwarding;
    }

    /** The pipeline's path normaliser; null with {@code normalizePath} off. */
    PathNormalizer pathNormalizer() {
        return pathNormalizer;
    }

    boolean draining() {
        return draining;
    }
}
