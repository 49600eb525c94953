package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;
import io.junction.api.upstream.HttpProtocol;
import io.junction.runtime.tls.UpstreamTlsSection;
import java.time.Duration;
import java.util.List;

/** One element of {@code "upstreams"}. */
@ConfigDoc("A named group of endpoints, the balancer that chooses among them and an optional health check.")
public record UpstreamSection(
        @ConfigDoc(value = "Unique name that routes refer to.", required = true) String name,
        @ConfigDoc("Backend addresses: \"host:port\" or {\"address\": \"host:port\", \"weight\": 2}; needed unless \"discovery\" finds them.")
        List<EndpointSection> endpoints,
        @ConfigDoc("Finds endpoints at run time (for example \"dns\": every A/AAAA record of a name), in addition to \"endpoints\".")
        ExtensionSpec.Discovery discovery,
        @ConfigDoc(value = "How an endpoint is chosen.", defaultValue = "{\"type\": \"round-robin\"}") ExtensionSpec.Balancer balancer,
        @ConfigDoc("Active health check; without one every endpoint counts as healthy.") ExtensionSpec.HealthCheck healthCheck,
        @ConfigDoc("Connect to the endpoints over TLS, verifying their certificates; without it connections are plain.")
        UpstreamTlsSection tls,
        @ConfigDoc("Eject endpoints that fail several requests in a row; off if absent.") OutlierDetectionSection outlierDetection,
        @ConfigDoc("Caps on what may be in flight to the upstream; retries are always bounded by the retry budget.")
        CircuitBreakerSection circuitBreaker,
        @ConfigDoc("A new or recovered endpoint's share of picks ramps from 10% to 100% over this window; off if absent.")
        Duration slowStart,
        @ConfigDoc(value = "When fewer than this percentage of endpoints are available (healthy, not ejected), balance over all of them "
                + "instead (Envoy's panic mode); 0 fails fast with no available endpoint.", defaultValue = "0") Integer panicThreshold,
        @ConfigDoc(value = "HTTP version spoken to the endpoints by protocols that send HTTP: \"http/1.1\", or \"h2\" (HTTP/2 with "
                + "prior knowledge on plain connections, negotiated by ALPN with \"tls\").", defaultValue = "\"http/1.1\"")
        String httpProtocol) {

    public UpstreamSection {
        ConfigChecks.required("name", name, "\"backends\"");
        if ((endpoints == null || endpoints.isEmpty()) && discovery == null) {
            throw new IllegalArgumentException("endpoints: needs at least one endpoint, e.g. [\"127.0.0.1:8081\"], or a \"discovery\"");
        }
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        circuitBreaker = circuitBreaker == null ? CircuitBreakerSection.DEFAULT : circuitBreaker;
        panicThreshold = panicThreshold == null ? 0 : panicThreshold;
        if (panicThreshold < 0 || panicThreshold > 100) {
            throw new IllegalArgumentException("panicThreshold: expected 0 to 100 (percent), got " + panicThreshold);
        }
        if (slowStart != null && slowStart.toMillis() < 1) {
            throw new IllegalArgumentException("slowStart: must be at least 1ms");
        }
        httpProtocol = httpProtocol == null ? HTTP_1_1 : httpProtocol;
        if (!httpProtocol.equals(HTTP_1_1) && !httpProtocol.equals(H2)) {
            throw new IllegalArgumentException("httpProtocol: expected \"http/1.1\" or \"h2\", got \"" + httpProtocol + "\"");
        }
    }

    private static final String HTTP_1_1 = "http/1.1";
    private static final String H2 = "h2";

    /** {@code httpProtocol} as the API names it. */
    public HttpProtocol protocol() {
        return httpProtocol.equals(H2) ? HttpProtocol.HTTP_2 : HttpProtocol.HTTP_1_1;
    }
}
