package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.junction.api.config.DataSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The http plugin's config records: defaults, and a message naming the field for each bad value. */
class HttpConfigRecordsTest {

    private static HttpProxyConfig proxy(DataSize maxHeaderSize, Integer maxHeaderCount, Duration idleTimeout, Integer connectAttempts) {
        return new HttpProxyConfig(null, maxHeaderSize, maxHeaderCount, null, null, idleTimeout, null, null, null,
                connectAttempts, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void proxyDefaults() {
        HttpProxyConfig config = proxy(null, null, null, null);
        assertThat(config.maxRequestLine()).isEqualTo(DataSize.ofKilobytes(8));
        assertThat(config.maxHeaderSize()).isEqualTo(DataSize.ofKilobytes(16));
        assertThat(config.maxHeaderCount()).isEqualTo(100);
        assertThat(config.maxRequestBodySize().bytes()).isZero();
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.tunnelIdleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.connectAttempts()).isEqualTo(3);
        assertThat(config.xForwardedFor()).isEqualTo(HttpProxyConfig.ForwardedMode.append);
        assertThat(config.forwarded()).isFalse();
        assertThat(config.via()).isTrue();
        assertThat(config.normalizePath()).isTrue();
        assertThat(config.mergeSlashes()).isFalse();
        assertThat(config.escapedSlashes()).isEqualTo(HttpProxyConfig.EscapedSlashes.keep);
        assertThat(config.pathNormalizer()).isNotNull();
    }

    private static HttpProxyConfig paths(Boolean normalizePath, Boolean mergeSlashes, HttpProxyConfig.EscapedSlashes escapedSlashes) {
        return new HttpProxyConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, normalizePath, mergeSlashes, escapedSlashes);
    }

    @Test
    void pathSettingsNeedNormalizePath() {
        assertThat(paths(false, null, null).pathNormalizer()).as("off: routes see the raw path").isNull();
        assertThat(paths(true, true, HttpProxyConfig.EscapedSlashes.reject).pathNormalizer()).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> paths(false, true, null))
                .withMessage("mergeSlashes and escapedSlashes need normalizePath: true");
        assertThatIllegalArgumentException().isThrownBy(() -> paths(false, null, HttpProxyConfig.EscapedSlashes.decode))
                .withMessage("mergeSlashes and escapedSlashes need normalizePath: true");
    }

    @Test
    void proxyValuesOutOfRangeNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> proxy(DataSize.ofBytes(100), null, null, null))
                .withMessageStartingWith("maxHeaderSize: expected");
        assertThatIllegalArgumentException().isThrownBy(() -> proxy(null, 0, null, null))
                .withMessage("maxHeaderCount: expected 1 to 10000, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> proxy(null, null, Duration.ZERO, null))
                .withMessage("idleTimeout: must be between 1ms and 365d");
        assertThatIllegalArgumentException().isThrownBy(() -> proxy(null, null, null, 11))
                .withMessage("connectAttempts: expected 1 to 10, got 11");
    }

    @Test
    void backendHttp2DefaultsAndBadValuesNameTheirField() {
        BackendHttp2Config defaults = proxy(null, null, null, null).backendHttp2();
        assertThat(defaults.maxConcurrentStreams()).isEqualTo(100);
        assertThat(defaults.initialStreamWindow().bytes()).isEqualTo(1024 * 1024);
        assertThat(defaults.connectionWindow().bytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(defaults.maxStreamsPerConnection()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> new BackendHttp2Config(0, null, null, null))
                .withMessage("maxConcurrentStreams: expected 1 to 10000, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new BackendHttp2Config(null, DataSize.ofBytes(10), null, null))
                .withMessageStartingWith("initialStreamWindow: expected 1024 bytes to 2147483647 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> new BackendHttp2Config(null, null, DataSize.ofBytes(1000), null))
                .withMessageStartingWith("connectionWindow: expected 65535 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> new BackendHttp2Config(null, null, null, -1))
                .withMessage("maxStreamsPerConnection: expected 0 or more, got -1");
    }

    @Test
    void badMatchesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(List.of("*."), null, null, null, null, null, null, null, null))
                .withMessageStartingWith("hosts: ");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, "api", null, null, null, null, null, null, null))
                .withMessage("path: must start with /, got \"api\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, "/(x", null, null, null, null, null))
                .withMessageStartingWith("pathRegex: not a valid regular expression");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, null, List.of("get"), null, null, null, null))
                .withMessage("methods: \"get\" is not an upper-case method name");
    }

    @Test
    void badActionsNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction(null, null, null, null,
                        new HttpRouteAction.Redirect(302, "https://x", null), new HttpRouteAction.DirectResponse(200, null, null), null, null, null))
                .withMessage("redirect and respond: choose one");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.Redirect(302, null, null))
                .withMessageStartingWith("location: required");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.DirectResponse(700, null, null))
                .withMessage("status: expected 200 to 599, got 700");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.HeaderRules(null, Map.of("Bad Name", "x"), null))
                .withMessage("set: \"Bad Name\" is not a valid header name");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.HeaderRules(null, null, Map.of("X-A", "a\r\nb")))
                .withMessage("add: the value of \"X-A\" must be text without control characters");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction("api", null, null, null, null, null, null, null, null))
                .withMessage("rewritePathPrefix: must start with /, got \"api\"");
    }

    @Test
    void retryAffinityAndBufferingValuesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(11, null, null, null, null, null))
                .withMessage("attempts: expected 0 to 10, got 11");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(null, List.of("404"), null, null, null, null))
                .withMessageStartingWith("retryOn: unknown condition \"404\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(null, null, null, null, Duration.ofMillis(100),
                        Duration.ofMillis(50)))
                .withMessage("maxBackoff: must be at least backoff (100ms)");
        assertThatIllegalArgumentException().isThrownBy(() -> new AffinityCookie("a b", null, null, null))
                .withMessage("name: \"a b\" is not a valid cookie name");
        assertThatIllegalArgumentException().isThrownBy(() -> new AffinityCookie(null, "/a;b", null, null))
                .withMessage("path: must start with / and have no spaces, control characters or ';'");
        assertThatIllegalArgumentException().isThrownBy(() -> new AffinityCookie(null, null, Duration.ZERO, null))
                .withMessage("maxAge: must be at least 1s");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(null, null, List.of("GE T"), null, null, null))
                .withMessage("methods: \"GE T\" is not a method");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(null, null, null, Duration.ZERO, null, null))
                .withMessage("perTryTimeout: must be at least 1ms");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction(null, null, null, null, null, null,
                        DataSize.ofBytes(0), null, null))
                .withMessage("bufferRequestBody: expected 1B to 1GB, got 0B");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction(null, null, null, null, null,
                        new HttpRouteAction.DirectResponse(200, null, null), null, RetryPolicy.DEFAULT, null))
                .withMessage("retry: a route that answers by itself sends nothing to an upstream");
    }

    @Test
    void retryPolicyDecidesByMethodAndCondition() {
        RetryPolicy policy = new RetryPolicy(2, List.of("reset", "gateway-error", "500"), null, null, null, null);
        assertThat(policy.allowsMethod("GET")).isTrue();
        assertThat(policy.allowsMethod("POST")).isFalse();
        assertThat(policy.onReset()).isTrue();
        assertThat(policy.onTimeout()).isFalse();
        assertThat(policy.onStatus(503)).isTrue();
        assertThat(policy.onStatus(500)).isTrue();
        assertThat(policy.onStatus(501)).isFalse();
        assertThat(new RetryPolicy(0, null, null, null, null, null).allowsMethod("GET")).as("attempts 0: off").isFalse();
        for (int i = 0; i < 100; i++) {
            assertThat(policy.backoffMillis(1)).isBetween(0L, 25L);
            assertThat(policy.backoffMillis(5)).isBetween(0L, 250L);
        }
    }

    @Test
    void affinityTokensAreStablePerEndpointId() {
        AffinityCookie cookie = new AffinityCookie(null, null, Duration.ofHours(1), true);
        io.junction.api.upstream.Endpoint a = endpoint("10.0.0.1:80");
        io.junction.api.upstream.Endpoint b = endpoint("10.0.0.2:80");
        assertThat(AffinityCookie.token(a)).hasSize(16).isNotEqualTo(AffinityCookie.token(b)).isEqualTo(AffinityCookie.token(endpoint("10.0.0.1:80")));
        assertThat(AffinityCookie.find(List.of(a, b), AffinityCookie.token(b))).isSameAs(b);
        assertThat(AffinityCookie.find(List.of(a, b), "nope")).isNull();
        assertThat(cookie.setCookie(a)).isEqualTo("junction-affinity=" + AffinityCookie.token(a) + "; Path=/; HttpOnly; Max-Age=3600; Secure");
    }

    private static io.junction.api.upstream.Endpoint endpoint(String id) {
        return new io.junction.api.upstream.Endpoint() {
            public String id() { return id; }
            public java.net.InetSocketAddress address() { return null; }
            public int weight() { return 1; }
            public boolean healthy() { return true; }
            public int activeConnections() { return 0; }
            public void track(io.netty.channel.Channel connection) { }
            public void connectFailed(Throwable cause) { }
        };
    }

    @Test
    void prefixRewritesKeepOneSlashAtTheSeam() {
        assertThat(RouteActions.rewritePrefix("/api/items?x=1", "/api", "/")).isEqualTo("/items?x=1");
        assertThat(RouteActions.rewritePrefix("/api", "/api", "/")).isEqualTo("/");
        assertThat(RouteActions.rewritePrefix("/api?q", "/api", "")).isEqualTo("/?q");
        assertThat(RouteActions.rewritePrefix("/svc/x", "/svc", "/echo")).isEqualTo("/echo/x");
    }

    @Test
    void targetsSplitTheSameForRoutingAndForwarding() {
        assertThat(RequestTarget.parse("http://a.example?x=/admin")).isEqualTo(new RequestTarget("a.example", "/", "x=/admin"));
        assertThat(RequestTarget.parse("/p/q?r=1")).isEqualTo(new RequestTarget(null, "/p/q", "r=1"));
        assertThat(RequestTarget.parse("http://a.example?x=/admin").originForm()).isEqualTo("/?x=/admin");
        assertThat(HttpRoutes.hostOf("Shop.Example:8080")).isEqualTo("shop.example");
        assertThat(HttpRoutes.hostOf("[::1]:80")).isEqualTo("[::1]");
    }

    @Test
    void http2SettingsHaveDefaultsAndRefuseBadValues() {
        Http2Config defaults = proxy(null, null, null, null).http2();
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.maxConcurrentStreams()).isEqualTo(100);
        assertThat(defaults.initialStreamWindow()).isEqualTo(DataSize.ofKilobytes(256));
        assertThat(defaults.connectionWindow()).isEqualTo(DataSize.ofKilobytes(1024));
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Config(null, 0, null, null, null, null, null))
                .withMessageStartingWith("maxConcurrentStreams:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Config(null, null, DataSize.ofBytes(1000), null, null, null, null))
                .withMessageStartingWith("initialStreamWindow:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Config(null, null, null, DataSize.ofBytes(3L << 30), null, null, null))
                .withMessageStartingWith("connectionWindow:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Config(null, null, null, null, 0, null, null))
                .withMessageStartingWith("maxResets:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Config(null, null, null, null, null, java.time.Duration.ofMillis(10), null))
                .withMessageStartingWith("resetWindow:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Config(null, null, null, null, null, null, 0))
                .withMessageStartingWith("maxControlFramesPerSecond:");
    }
}
