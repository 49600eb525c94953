package io.junction.plugin.healthchecks;

import io.junction.api.config.ConfigDoc;

/** Settings of the {@code grpc} health check: which service to ask about, and the request's authority. */
@ConfigDoc("Calls grpc.health.v1.Health/Check over cleartext HTTP/2 (h2c, prior knowledge).")
public record GrpcHealthCheckConfig(
        @ConfigDoc(value = "Service to ask about, as registered with the server's health service; \"\" asks about the server as a whole.",
                defaultValue = "\"\"") String service,
        @ConfigDoc("The request's :authority; absent, the endpoint's host:port as configured.") String authority) {

    private static final int MAX_SERVICE_LENGTH = 1024;

    public GrpcHealthCheckConfig {
        service = service == null ? "" : service;
        if (service.length() > MAX_SERVICE_LENGTH || !service.codePoints().allMatch(c -> c > ' ' && !Character.isISOControl(c)
                && !Character.isWhitespace(c))) {
            throw new IllegalArgumentException("service: expected a service name such as \"my.package.MyService\" (at most "
                    + MAX_SERVICE_LENGTH + " characters, no spaces or control characters), got \"" + service + "\"");
        }
        if (authority != null && (authority.isEmpty() || !authority.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/'))) {
            throw new IllegalArgumentException("authority: must be a host or host:port in printable ASCII without spaces, got \""
                    + authority + "\"");
        }
    }
}
