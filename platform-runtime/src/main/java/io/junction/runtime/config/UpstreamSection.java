package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;
import io.junction.runtime.tls.UpstreamTlsSection;
import java.util.List;

/** One element of {@code "upstreams"}. */
@ConfigDoc("A named group of endpoints, the balancer that chooses among them and an optional health check.")
public record UpstreamSection(
        @ConfigDoc(value = "Unique name that routes refer to.", required = true) String name,
        @ConfigDoc(value = "Backend addresses: \"host:port\" or {\"address\": \"host:port\", \"weight\": 2}.", required = true)
        List<EndpointSection> endpoints,
        @ConfigDoc(value = "How an endpoint is chosen.", defaultValue = "{\"type\": \"round-robin\"}") ExtensionSpec.Balancer balancer,
        @ConfigDoc("Active health check; without one every endpoint counts as healthy.") ExtensionSpec.HealthCheck healthCheck,
        @ConfigDoc("Connect to the endpoints over TLS, verifying their certificates; without it connections are plain.")
        UpstreamTlsSection tls) {

    public UpstreamSection {
        ConfigChecks.required("name", name, "\"backends\"");
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: needs at least one endpoint, e.g. [\"127.0.0.1:8081\"]");
        }
        endpoints = List.copyOf(endpoints);
    }
}
