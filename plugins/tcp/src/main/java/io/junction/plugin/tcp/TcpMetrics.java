package io.junction.plugin.tcp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The tcp protocol's own counters, per pipeline: connections closed because no route took them. */
final class TcpMetrics {

    private final Counter notTls;
    private final Counter noRoute;
    private final Counter noEndpoint;
    private final Counter overflow;

    TcpMetrics(String pipeline, MeterRegistry registry) {
        String name = "junction.tcp.connections.unrouted";
        String description = "Client connections closed because they could not be routed";
        notTls = Counter.builder(name).description(description).tags("pipeline", pipeline, "reason", "not-tls").register(registry);
        noRoute = Counter.builder(name).description(description).tags("pipeline", pipeline, "reason", "no-route").register(registry);
        noEndpoint = Counter.builder(name).description(description).tags("pipeline", pipeline, "reason", "no-endpoint").register(registry);
        overflow = Counter.builder(name).description(description).tags("pipeline", pipeline, "reason", "upstream-overflow").register(registry);
    }

    void overflow() {
        overflow.increment();
    }

    void notTls() {
        notTls.increment();
    }

    void noRoute() {
        noRoute.increment();
    }

    void noEndpoint() {
        noEndpoint.increment();
    }
}
