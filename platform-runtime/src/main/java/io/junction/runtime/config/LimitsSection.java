package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;

/**
 * {@code "limits"} of a pipeline: connections beyond them are closed at once and counted
 * ({@code junction_pipeline_connections_rejected_total{reason=...}}).
 */
@ConfigDoc("Connection limits; a connection beyond a limit is closed at once and counted.")
public record LimitsSection(
        @ConfigDoc(value = "Most client connections open at once on this pipeline.", defaultValue = "100000") Integer maxConnections,
        @ConfigDoc("Most connections open at once from one client IP address (after PROXY protocol, if accepted); unlimited if absent.")
        Integer maxConnectionsPerClient,
        @ConfigDoc("Most new connections accepted per second (a token bucket allowing bursts of one second's worth); unlimited if absent.")
        Integer acceptRate) {

    public static final LimitsSection DEFAULT = new LimitsSection(null, null, null);

    public LimitsSection {
        maxConnections = maxConnections == null ? 100_000 : maxConnections;
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerClient != null && maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("maxConnectionsPerClient: must be at least 1, got " + maxConnectionsPerClient);
        }
        if (acceptRate != null && acceptRate < 1) {
            throw new IllegalArgumentException("acceptRate: must be at least 1 per second, got " + acceptRate);
        }
    }
}
