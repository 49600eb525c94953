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
     * picks among the healthy endpoints not excluded by {@code context}. Empty when there is none.
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
}
