package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;
import java.util.List;

/** One element of {@code "pipelines"}. */
@ConfigDoc("A listener, the protocol it speaks, its filters and where it routes.")
public record PipelineSection(
        @ConfigDoc(value = "Unique name, used in logs and metrics.", required = true) String name,
        @ConfigDoc(value = "host:port to listen on.", required = true) String listen,
        @ConfigDoc(value = "The protocol handler: {\"type\": \"tcp\"} and its settings.", required = true) ExtensionSpec.Protocol protocol,
        @ConfigDoc("Filters run on each connection or exchange, in order.") List<ExtensionSpec.Filter> filters,
        @ConfigDoc("Routes, first match wins. Use either routes or upstream.") List<RouteSection> routes,
        @ConfigDoc("Shorthand for one route that sends everything to this upstream.") String upstream) {

    public PipelineSection {
        ConfigChecks.required("name", name, "\"web\"");
        ConfigChecks.required("listen", listen, "\"127.0.0.1:8080\"");
        ConfigChecks.hostPort("listen", listen);
        if (protocol == null) {
            throw new IllegalArgumentException("protocol: is required, e.g. {\"type\": \"tcp\"}");
        }
        if (routes != null && upstream != null) {
            throw new IllegalArgumentException("upstream: use either \"routes\" or \"upstream\", not both");
        }
        filters = filters == null ? List.of() : List.copyOf(filters);
        routes = routes == null ? null : List.copyOf(routes);
    }
}
