/**
 * Junction's active health checks: {@code tcp} (a connection opens), {@code http} (an HTTP/1.1
 * request gets an expected status, optionally a body containing some text) and {@code grpc} (the
 * standard grpc.health.v1 service answers SERVING over cleartext HTTP/2).
 */
module io.junction.plugin.healthchecks {
    requires io.junction.api;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.http2;

    provides io.junction.api.health.HealthCheckExtension with
            io.junction.plugin.healthchecks.TcpHealthCheckExtension,
            io.junction.plugin.healthchecks.HttpHealthCheckExtension,
            io.junction.plugin.healthchecks.GrpcHealthCheckExtension;
}
