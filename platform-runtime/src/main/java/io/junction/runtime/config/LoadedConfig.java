package io.junction.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.runtime.tls.ClientTls;
import io.junction.runtime.tls.ServerTls;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A config that passed every check: all extensions known and bound, all references resolved.
 * Immutable; a reload builds a new one.
 */
public record LoadedConfig(String source, JsonNode json, Optional<HostPort> admin, Duration drainTimeout,
                           List<Pipeline> pipelines, List<Upstream> upstreams) {

    /** A pipeline ready to build; {@code tls} is null without TLS termination. */
    public record Pipeline(String name, String path, List<HostPort> listen, boolean acceptProxyProtocol, LimitsSection limits,
                           ServerTls tls, BoundExtension protocol,
                           List<BoundExtension> filters, List<Route> routes) {
    }

    /** A route; {@code match} is an instance of the protocol's route match type, or null. */
    public record Route(String name, Object match, Object action, String upstream) {
    }

    /**
     * An upstream ready to build; {@code healthCheck}, {@code discovery}, {@code outlierDetection} and
     * {@code slowStart} are null without one, {@code tls} null for plain connections.
     */
    public record Upstream(String name, String path, List<EndpointSection> endpoints, BoundExtension balancer,
                           BoundExtension healthCheck, HealthCheckTiming healthCheckTiming, ClientTls tls,
                           BoundExtension discovery, OutlierDetectionSection outlierDetection,
                           CircuitBreakerSection circuitBreaker, java.time.Duration slowStart, int panicThreshold,
                           io.junction.api.upstream.HttpProtocol httpProtocol) {
    }
}
