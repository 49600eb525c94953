package io.junction.plugin.healthchecks;

import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckExtension;

/** {@code "grpc"}: an endpoint is healthy when the standard gRPC health service reports it SERVING. */
public final class GrpcHealthCheckExtension implements HealthCheckExtension<GrpcHealthCheckConfig> {

    @Override
    public String type() {
        return "grpc";
    }

    @Override
    public Class<GrpcHealthCheckConfig> configType() {
        return GrpcHealthCheckConfig.class;
    }

    @Override
    public Class<? extends HealthCheck> implementation() {
        return GrpcHealthCheck.class;
    }

    @Override
    public String description() {
        return "Healthy when grpc.health.v1.Health/Check over h2c answers SERVING within the timeout.";
    }
}
