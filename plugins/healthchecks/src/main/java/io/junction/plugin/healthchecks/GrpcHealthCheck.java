package io.junction.plugin.healthchecks;

import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckResult;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Calls {@code grpc.health.v1.Health/Check} on a new cleartext HTTP/2 connection (prior knowledge,
 * no upgrade) and passes when the call succeeds (grpc-status 0) with status SERVING.
 */
public final class GrpcHealthCheck implements HealthCheck {

    // Bounds on what the server may make the probe hold: the header list, and no pushed streams.
    private static final long MAX_HEADER_LIST = 16 * 1024;

    private final EventLoops eventLoops;
    private final GrpcHealthCheckConfig config;

    @Inject
    public GrpcHealthCheck(GrpcHealthCheckConfig config, EventLoops eventLoops) {
        this.eventLoops = eventLoops;
        this.config = config;
    }

    @Override
    public CompletionStage<HealthCheckResult> check(Endpoint endpoint, Duration timeout) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method("POST")
                .scheme("http")
                .path(GrpcHealthMessages.PATH)
                .authority(config.authority() != null ? config.authority() : endpoint.id())
                .add("content-type", "application/grpc")
                .add("te", "trailers")
                .add("grpc-timeout", GrpcHealthMessages.timeout(timeout))
                .add("user-agent", "junction-health-check");
        return Probe.start(eventLoops, endpoint, timeout, (channel, probe) -> channel.pipeline().addLast(
                Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).maxHeaderListSize(MAX_HEADER_LIST))
                        // A probe's verdict or timeout closes at once (after a GOAWAY), never waiting for its stream.
                        .gracefulShutdownTimeoutMillis(0)
                        .build(),
                new GrpcProbeHandler(probe, headers, config.service())));
    }
}
