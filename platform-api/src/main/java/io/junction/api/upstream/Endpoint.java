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

    /** The configured weight, at least 1. */
    int weight();

    /** Whether the endpoint passes its health check (always true when the upstream has none). */
    boolean healthy();

    /** Connections to this endpoint that are open now, as reported through {@link #track(Channel)}. */
    int activeConnections();

    /**
     * Counts {@code connection} — an open connection to this endpoint — in the endpoint's
     * active and total connection metrics until it closes. Call once per connection, after it
     * connected.
     */
    void track(Channel connection);

    /** Records a failed attempt to connect to this endpoint (metrics; outlier detection). */
    void connectFailed(Throwable cause);
}
