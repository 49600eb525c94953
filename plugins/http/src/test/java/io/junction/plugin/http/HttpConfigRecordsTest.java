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
                connectAttempts, null, null, null, null, null, null);
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
    void badMatchesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(List.of("*."), null, null, null, null, null, null))
                .withMessageStartingWith("hosts: ");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, "api", null, null, null, null, null))
                .withMessage("path: must start with /, got \"api\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, "/(x", null, null, null))
                .withMessageStartingWith("pathRegex: not a valid regular expression");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, null, List.of("get"), null, null))
                .withMessage("methods: \"get\" is not an upper-case method name");
    }

    @Test
    void badActionsNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction(null, null, null, null,
                        new HttpRouteAction.Redirect(302, "https://x", null), new HttpRouteAction.DirectResponse(200, null, null)))
                .withMessage("redirect and respond: choose one");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.Redirect(302, null, null))
                .withMessageStartingWith("location: required");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.DirectResponse(700, null, null))
                .withMessage("status: expected 200 to 599, got 700");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.HeaderRules(null, Map.of("Bad Name", "x"), null))
                .withMessage("set: \"Bad Name\" is not a valid header name");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction.HeaderRules(null, null, Map.of("X-A", "a\r\nb")))
                .withMessage("add: the value of \"X-A\" must be text without control characters");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteAction("api", null, null, null, null, null))
                .withMessage("rewritePathPrefix: must start with /, got \"api\"");
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
}
