package io.junction.api.upstream;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One backend address of an upstream, with its live state. Thread-safe.
 */
public interface Endpoint {

    /** {@code host:port} as configured; used in metrics tags and logs. */
    String id();

    /** The resolved address to connect to. */
    InetSocketAddress address();

    /**
     * The configured weight, at least 1. It never changes for one endpoint object (a discovery
     * that changes a weight replaces the endpoint), so balancers may cache tables built from it.
     * Slow start does not change it either: the upstream ramps a new or recovered endpoint by
     * turning down a share of the balancer's picks of it, so every balancer gets slow start.
     */
    int weight();

    /** Whether the endpoint passes its health check (always true when the upstream has none). */
    boolean healthy();

    /**
     * Whether the endpoint is ejected for now by outlier detection (too many consecutive
     * failures). Balancers never see an ejected endpoint unless the upstream panics. Since API 1.2.
     */
    default boolean ejected() {
        return false;
    }

    /**
     * Requests, calls or queries sent to this endpoint and not finished yet, as reported through
     * {@link #startRequest()}. Protocols that do not report requests ({@code tcp}) count each
     * connection as one request. Since API 1.2.
     */
    default int activeRequests() {
        return activeConnections();
    }

    /**
     * The endpoint's response latency as a peak-sensitive moving average (Finagle's peak EWMA:
     * a slower response raises it at once, faster ones decay it over about ten seconds), in
     * nanoseconds; 0 until a response was timed. Since API 1.2.
     */
    default long latencyEwmaNanos() {
        return 0;
    }

    /**
     * Starts one request, call or query to this endpoint: it counts in {@link #activeRequests()}
     * until {@link EndpointRequest#finish()}, and its outcome feeds latency and outlier
     * detection. Call on the event loop that sends it. Since API 1.2.
     */
    default EndpointRequest startRequest() {
        return EndpointRequest.UNTRACKED;
    }

    /**
     * {@link #startRequest()} at {@code nanoTime}, a {@link System#nanoTime()} reading the caller took just
     * now, so that the clock is not read again. Since API 1.5.
     */
    default EndpointRequest startRequest(long nanoTime) {
        return startRequest();
    }

    /** Connections to this endpoint that are open now, as reported through {@link #track(Channel)}. */
    int activeConnections();

    /**
     * Counts {@code connection} — an open connection to this endpoint — in the endpoint's
     * active and total connection metrics until it closes. Call once per connection, after it
     * connected.
     */
    void track(Channel connection);

    /**
     * Records a failed attempt to connect to this endpoint (metrics; consecutive connect failures
     * eject it when the upstream has outlier detection).
     */
    void connectFailed(Throwable cause);
}
