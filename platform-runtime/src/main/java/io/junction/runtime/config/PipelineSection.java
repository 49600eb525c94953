package io.junction.runtime.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.junction.api.config.ConfigDoc;
import io.junction.runtime.tls.TlsSection;
import java.util.List;

/** One element of {@code "pipelines"}. */
@ConfigDoc("A listener, the protocol it speaks, its filters and where it routes.")
public record PipelineSection(
        @ConfigDoc(value = "Unique name, used in logs and metrics.", required = true) String name,
        @ConfigDoc(value = "host:port to listen on, or a list of them (routes can match on the address a connection came to).", required = true)
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> listen,
        @ConfigDoc(value = "Expect a PROXY protocol header (v1 or v2) from a load balancer in front on every connection,"
                + " and use the client address it carries.", defaultValue = "false") Boolean acceptProxyProtocol,
        @ConfigDoc("Connection limits.") LimitsSection limits,
        @ConfigDoc("Terminate TLS on every connection, after the connection filters and before the protocol.") TlsSection tls,
        @ConfigDoc(value = "The protocol handler: {\"type\": \"tcp\"} and its settings.", required = true) ExtensionSpec.Protocol protocol,
        @ConfigDoc("Filters run on each connection or exchange, in order.") List<ExtensionSpec.Filter> filters,
        @ConfigDoc("Routes, first match wins. Use either routes or upstream.") List<RouteSection> routes,
        @ConfigDoc("Shorthand for one route that sends everything to this upstream.") String upstream) {

    public PipelineSection {
        ConfigChecks.required("name", name, "\"web\"");
        if (listen == null || listen.isEmpty()) {
            throw new IllegalArgumentException("listen: is required, e.g. \"127.0.0.1:8080\" or [\"127.0.0.1:8080\", \"127.0.0.1:8443\"]");
        }
        for (String address : listen) {
            ConfigChecks.required("listen", address, "\"127.0.0.1:8080\"");
            ConfigChecks.hostPort("listen", address);
        }
        listen = List.copyOf(listen);
        acceptProxyProtocol = acceptProxyProtocol != null && acceptProxyProtocol;
        limits = limits == null ? LimitsSection.DEFAULT : limits;
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
