package io.junction.plugin.healthchecks;

import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckResult;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Sends one HTTP/1.1 request on a new connection ({@code Connection: close}) and passes when the
 * response status is expected and, if asked, the first 64 KiB of the body contain the text.
 */
public final class HttpHealthCheck implements HealthCheck {

    // Bounds on what the response head may take; the body is bounded by HttpProbeHandler.
    private static final int MAX_STATUS_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 16 * 1024;
    private static final int MAX_CHUNK = 8192;

    private final EventLoops eventLoops;
    private final HttpHealthCheckConfig config;
    private final HttpMethod method;
    private final StatusRanges expected;
    private final byte[] bodyContains;

    @Inject
    public HttpHealthCheck(HttpHealthCheckConfig config, EventLoops eventLoops) {
        this.eventLoops = eventLoops;
        this.config = config;
        this.method = HttpMethod.valueOf(config.method());
        this.expected = StatusRanges.of(config.expectedStatuses());
        this.bodyContains = config.bodyContains() == null ? null : config.bodyContains().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletionStage<HealthCheckResult> check(Endpoint endpoint, Duration timeout) {
        FullHttpRequest request = request(endpoint);
        return Probe.start(eventLoops, endpoint, timeout, (channel, probe) -> channel.pipeline().addLast(
                new HttpClientCodec(MAX_STATUS_LINE, MAX_HEADER_SIZE, MAX_CHUNK),
                new HttpProbeHandler(probe, request, expected, bodyContains, config.bodyContains())));
    }

    private FullHttpRequest request(Endpoint endpoint) {
        // No body, so the buffer is the shared empty one: nothing to release if the probe never writes it.
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, config.path(), Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, config.host() != null ? config.host() : endpoint.id());
        request.headers().set(HttpHeaderNames.USER_AGENT, "junction-health-check");
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            request.headers().set(header.getKey(), header.getValue());
        }
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return request;
    }
}
