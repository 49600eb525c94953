package io.junction.plugin.healthchecks;

import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckExtension;

/** {@code "http"}: an endpoint is healthy when it answers one HTTP/1.1 request with an expected status (and body). */
public final class HttpHealthCheckExtension implements HealthCheckExtension<HttpHealthCheckConfig> {

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Class<HttpHealthCheckConfig> configType() {
        return HttpHealthCheckConfig.class;
    }

    @Override
    public Class<? extends HealthCheck> implementation() {
        return HttpHealthCheck.class;
    }

    @Override
    public String description() {
        return "Healthy when an HTTP/1.1 request gets an expected status (and, optionally, a body containing some text) within the timeout.";
    }
}
