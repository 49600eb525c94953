/** Junction's active health checks: tcp. */
module io.junction.plugin.healthchecks {
    requires io.junction.api;

    provides io.junction.api.health.HealthCheckExtension with io.junction.plugin.healthchecks.TcpHealthCheckExtension;
}
