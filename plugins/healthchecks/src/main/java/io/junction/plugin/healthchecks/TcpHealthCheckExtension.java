package io.junction.plugin.healthchecks;

import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckExtension;

/** {@code "tcp"}: an endpoint is healthy when a TCP connection to it succeeds within the timeout. */
public final class TcpHealthCheckExtension implements HealthCheckExtension<TcpHealthCheckConfig> {

    @Override
    public String type() {
        return "tcp";
    }

    @Override
    public Class<TcpHealthCheckConfig> configType() {
        return TcpHealthCheckConfig.class;
    }

    @Override
    public Class<? extends HealthCheck> implementation() {
        return TcpHealthCheck.class;
    }

    @Override
    public String description() {
        return "Healthy when a TCP connection to the endpoint opens within the timeout.";
    }
}
