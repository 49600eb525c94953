package io.junction.api.upstream;

import java.util.List;
import java.util.Optional;

/**
 * A named group of endpoints with a balancer and an optional health check. Thread-safe.
 */
public interface Upstream {

    String name();

    /** All configured endpoints, healthy or not, in config order. */
    List<Endpoint> endpoints();

    /**
     * Chooses an endpoint for one connection, request, call or query: the upstream's balancer
     * picks among the healthy, non-ejected endpoints not excluded by {@code context} (or the
     * context's preferred endpoint when it is one of them). When too few endpoints are available,
     * the upstream's panic threshold decides whether to pick among all of them or return empty.
     * Called on event loops; never blocks.
     */
    Optional<Endpoint> pick(PickContext context);

    /**
     * How to speak TLS to this upstream's endpoints; empty when connections to them are plain.
     * A protocol that connects to the endpoints itself must honor it. Since API 1.1.
     */
    default Optional<UpstreamTls> tls() {
        return Optional.empty();
    }

    /** The upstream's circuit breaker ({@code "circuitBreaker"}); unlimited when not configured. Since API 1.2. */
    default UpstreamLimits limits() {
        return UpstreamLimits.UNLIMITED;
    }

    /**
     * The HTTP version to speak to this upstream's endpoints ({@code "httpProtocol"}). A protocol
     * that sends HTTP requests must honor it or refuse the upstream. Since API 1.3.
     */
    default HttpProtocol httpProtocol() {
        return HttpProtocol.HTTP_1_1;
    }
}
