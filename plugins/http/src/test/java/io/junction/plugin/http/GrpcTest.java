package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.ResponseHead;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** gRPC recognition, grpc-timeout, status mapping and encoding, route matching, retry names and metrics. */
class GrpcTest {

    @Test
    void grpcContentTypesAreRecognisedAndGrpcWebIsNot() {
        assertThat(GrpcCall.isGrpc("application/grpc")).isTrue();
        assertThat(GrpcCall.isGrpc("application/grpc+proto")).isTrue();
        assertThat(GrpcCall.isGrpc("application/grpc+json")).isTrue();
        assertThat(GrpcCall.isGrpc("Application/GRPC; charset=utf-8")).isTrue();
        assertThat(GrpcCall.isGrpc("application/grpc-web")).isFalse();
        assertThat(GrpcCall.isGrpc("application/grpc-web-text")).isFalse();
        assertThat(GrpcCall.isGrpc("application/grpcx")).isFalse();
        assertThat(GrpcCall.isGrpc("application/json")).isFalse();
        assertThat(GrpcCall.isGrpc((String) null)).isFalse();
    }

    @Test
    void callsKnowTheirServiceMethodAndDeadline() {
        HttpHeaders headers = new HttpHeaders().add("content-type", "application/grpc").add("grpc-timeout", "250m");
        GrpcCall call = GrpcCall.of(headers, "/pkg.Echo/Say", 1_000);
        assertThat(call.service()).isEqualTo("pkg.Echo");
        assertThat(call.method()).isEqualTo("Say");
        assertThat(call.hasDeadline()).isTrue();
        assertThat(call.remainingNanos(1_000 + TimeUnit.MILLISECONDS.toNanos(50))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(GrpcCall.of(new HttpHeaders().add("content-type", "text/plain"), "/pkg.Echo/Say", 0)).isNull();
        GrpcCall odd = GrpcCall.of(new HttpHeaders().add("content-type", "application/grpc"), "/not/a/method", 0);
        assertThat(odd.service()).isEqualTo(GrpcCall.UNKNOWN_NAME);
        assertThat(odd.method()).isEqualTo(GrpcCall.UNKNOWN_NAME);
        assertThat(odd.hasDeadline()).isFalse();
        assertThat(odd.malformedTimeout()).isFalse();
        GrpcCall bad = GrpcCall.of(new HttpHeaders().add("content-type", "application/grpc").add("grpc-timeout", "1x"), "/a.B/C", 0);
        assertThat(bad.malformedTimeout()).isTrue();
        assertThat(bad.hasDeadline()).isFalse();
    }

    @Test
    void timeoutsParseEveryUnitAndRefuseWhatIsNotOneToEightDigitsAndAUnit() {
        assertThat(GrpcTimeout.parse("2H")).isEqualTo(TimeUnit.HOURS.toNanos(2));
        assertThat(GrpcTimeout.parse("3M")).isEqualTo(TimeUnit.MINUTES.toNanos(3));
        assertThat(GrpcTimeout.parse("4S")).isEqualTo(TimeUnit.SECONDS.toNanos(4));
        assertThat(GrpcTimeout.parse("99999999m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(99_999_999));
        assertThat(GrpcTimeout.parse("7u")).isEqualTo(7_000);
        assertThat(GrpcTimeout.parse("0n")).isZero();
        assertThat(GrpcTimeout.parse(null)).isEqualTo(GrpcTimeout.ABSENT);
        for (String bad : List.of("", "S", "100", "123456789S", "1s", "-1S", "1.5S", " 1S", "1 S", "1h")) {
            assertThat(GrpcTimeout.parse(bad)).as(bad).isEqualTo(GrpcTimeout.MALFORMED);
        }
    }

    @Test
    void timeoutsEncodeInTheFinestUnitThatFitsRoundingDown() {
        assertThat(GrpcTimeout.encode(0)).isEqualTo("0n");
        assertThat(GrpcTimeout.encode(99_999_999)).isEqualTo("99999999n");
        assertThat(GrpcTimeout.encode(100_000_000)).isEqualTo("100000u");
        assertThat(GrpcTimeout.encode(TimeUnit.MILLISECONDS.toNanos(150) + 999)).isEqualTo("150000u");
        assertThat(GrpcTimeout.encode(TimeUnit.SECONDS.toNanos(200_000) + 1)).isEqualTo("200000S");
        assertThat(GrpcTimeout.encode(TimeUnit.DAYS.toNanos(100_000))).isEqualTo("2400000H");
        assertThat(GrpcTimeout.encode(Long.MAX_VALUE)).endsWith("H");
        for (long nanos : new long[] {1, 12_345_678_901L, TimeUnit.HOURS.toNanos(30)}) {
            long back = GrpcTimeout.parse(GrpcTimeout.encode(nanos));
            assertThat(back).as("round trip of " + nanos).isLessThanOrEqualTo(nanos).isGreaterThan(nanos - nanos / 1000 - 1);
        }
    }

    @Test
    void junctionsErrorsMapToGrpcStatuses() {
        assertThat(GrpcStatus.forLocalError(404)).isEqualTo(GrpcStatus.UNIMPLEMENTED);
        assertThat(GrpcStatus.forLocalError(503)).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcStatus.forLocalError(502)).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcStatus.forLocalError(504)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
        assertThat(GrpcStatus.forLocalError(408)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
        assertThat(GrpcStatus.forLocalError(413)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(GrpcStatus.forLocalError(431)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(GrpcStatus.forLocalError(400)).isEqualTo(GrpcStatus.INTERNAL);
        assertThat(GrpcStatus.forLocalError(501)).isEqualTo(GrpcStatus.UNIMPLEMENTED);
    }

    @Test
    void backendHttpErrorsFollowTheSpecsTable() {
        assertThat(GrpcStatus.fromHttp(400)).isEqualTo(GrpcStatus.INTERNAL);
        assertThat(GrpcStatus.fromHttp(401)).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(GrpcStatus.fromHttp(403)).isEqualTo(GrpcStatus.PERMISSION_DENIED);
        assertThat(GrpcStatus.fromHttp(404)).isEqualTo(GrpcStatus.UNIMPLEMENTED);
        for (int status : new int[] {429, 502, 503, 504}) {
            assertThat(GrpcStatus.fromHttp(status)).as("" + status).isEqualTo(GrpcStatus.UNAVAILABLE);
        }
        assertThat(GrpcStatus.fromHttp(500)).isEqualTo(GrpcStatus.UNKNOWN);
        assertThat(GrpcStatus.fromHttp(302)).isEqualTo(GrpcStatus.UNKNOWN);
    }

    @Test
    void statusValuesParseAndUnknownCodesCountAsUnknown() {
        assertThat(GrpcStatus.parse("0")).isEqualTo(GrpcStatus.OK);
        assertThat(GrpcStatus.parse("14")).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcStatus.parse("16")).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(GrpcStatus.parse("99")).isEqualTo(GrpcStatus.UNKNOWN);
        assertThat(GrpcStatus.parse("x")).isNull();
        assertThat(GrpcStatus.parse("")).isNull();
        assertThat(GrpcStatus.parse(null)).isNull();
        assertThat(GrpcStatus.DEADLINE_EXCEEDED.code()).isEqualTo(4);
        assertThat(GrpcStatus.RESOURCE_EXHAUSTED.retryName()).isEqualTo("resource-exhausted");
    }

    @Test
    void messagesArePercentEncodedAsTheSpecSays() {
        assertThat(GrpcStatus.encodeMessage("503 Service Unavailable (no-healthy-endpoint)"))
                .isEqualTo("503 Service Unavailable (no-healthy-endpoint)");
        assertThat(GrpcStatus.encodeMessage("100% sure")).isEqualTo("100%25 sure");
        assertThat(GrpcStatus.encodeMessage("a\nb\tc")).isEqualTo("a%0Ab%09c");
        assertThat(GrpcStatus.encodeMessage("café ☕")).isEqualTo("caf%C3%A9 %E2%98%95");
        HttpHeaders head = GrpcStatus.UNAVAILABLE.trailersOnly("x", "no-healthy-endpoint", false);
        assertThat(head.get("content-type")).isEqualTo("application/grpc");
        assertThat(head.get("grpc-status")).isEqualTo("14");
        assertThat(head.get("grpc-message")).isEqualTo("x");
        assertThat(head.get("x-junction-error")).isEqualTo("no-healthy-endpoint");
        assertThat(head.get("content-length")).isNull();
        assertThat(GrpcStatus.UNAVAILABLE.trailersOnly("x", "r", true).get("content-length")).isEqualTo("0");
    }

    @Test
    void onlyBodylessHeadsWithAStatusAreTrailersOnly() {
        HttpHeaders withStatus = new HttpHeaders().add("content-type", "application/grpc").add("grpc-status", "14");
        assertThat(GrpcCall.trailersOnly(new ResponseHead(HttpVersion.HTTP_2, 200, "", withStatus, BodyFraming.NONE, -1)))
                .isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcCall.trailersOnly(new ResponseHead(HttpVersion.HTTP_2, 200, "", withStatus, BodyFraming.CHUNKED, -1))).isNull();
        assertThat(GrpcCall.trailersOnly(new ResponseHead(HttpVersion.HTTP_2, 200, "", new HttpHeaders(), BodyFraming.NONE, -1))).isNull();
    }

    @Test
    void grpcMatchesTakeGrpcRequestsToTheirServiceAndMethodOnly() {
        HttpRoutes.Compiled service = route(new HttpRouteMatch(null, null, null, null, null, null, null, "pkg.Echo", null));
        HttpRoutes.Compiled method = route(new HttpRouteMatch(null, null, null, null, null, null, null, "pkg.Echo", "Say"));
        assertThat(service.matches(grpc("/pkg.Echo/Say"))).isTrue();
        assertThat(service.matches(grpc("/pkg.Echo/Other"))).isTrue();
        assertThat(service.matches(grpc("/pkg.Echo/"))).isFalse();
        assertThat(service.matches(grpc("/pkg.Echo"))).isFalse();
        assertThat(service.matches(grpc("/pkg.EchoX/Say"))).isFalse();
        assertThat(service.matches(grpc("/pkg.Echo/Say/more"))).isFalse();
        assertThat(service.matches(plain("/pkg.Echo/Say"))).as("not a gRPC request").isFalse();
        assertThat(method.matches(grpc("/pkg.Echo/Say"))).isTrue();
        assertThat(method.matches(grpc("/pkg.Echo/Sa"))).isFalse();
        assertThat(method.matches(grpc("/pkg.Echo/XSay"))).isFalse();
        assertThat(method.matches(grpc("/pkg.Echo/Says"))).isFalse();
        assertThat(method.matches(grpc("/other.Echo/Say"))).isFalse();
    }

    @Test
    void badGrpcMatchesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, null, null, null, null, null, "Say"))
                .withMessage("grpcMethod: needs grpcService (the method's service)");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, null, null, null, null, "pkg/Echo", null))
                .withMessage("grpcService: \"pkg/Echo\" is not a service name such as \"pkg.Service\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, null, null, null, null, "", null))
                .withMessageStartingWith("grpcService: \"\" is not");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, null, null, null, null, null, "pkg.Echo", "a/b"))
                .withMessage("grpcMethod: \"a/b\" is not a method name such as \"GetItem\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new HttpRouteMatch(null, null, "/pkg", null, null, null, null, "pkg.Echo", null))
                .withMessageStartingWith("grpcService: matches the path itself");
    }

    @Test
    void retryPoliciesTakeGrpcStatusNames() {
        RetryPolicy policy = new RetryPolicy(2, List.of("unavailable", "deadline-exceeded", "reset"), List.of("POST"), null, null, null);
        assertThat(policy.onGrpcStatus(GrpcStatus.UNAVAILABLE)).isTrue();
        assertThat(policy.onGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED)).isTrue();
        assertThat(policy.onGrpcStatus(GrpcStatus.INTERNAL)).isFalse();
        assertThat(policy.onGrpcStatus(GrpcStatus.OK)).isFalse();
        assertThat(policy.onStatus(503)).isFalse();
        for (String name : List.of("cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable")) {
            assertThat(new RetryPolicy(null, List.of(name), null, null, null, null).retryOn()).containsExactly(name);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(null, List.of("not-found"), null, null, null, null))
                .withMessageStartingWith("retryOn: unknown condition \"not-found\"").withMessageContaining("unavailable");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(null, List.of("UNAVAILABLE"), null, null, null, null))
                .withMessageStartingWith("retryOn: unknown condition \"UNAVAILABLE\"");
    }

    @Test
    void metricsCountCallsByServiceMethodAndStatusWithBoundedNames() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GrpcMetrics metrics = new GrpcMetrics("front", registry);
        metrics.record(GrpcCall.refused("/pkg.Echo/Say", 0), GrpcStatus.OK, 1_000_000);
        metrics.record(GrpcCall.refused("/pkg.Echo/Say", 0), GrpcStatus.OK, 1_000_000);
        metrics.record(GrpcCall.refused("/pkg.Echo/Say", 0), GrpcStatus.UNAVAILABLE, 1_000_000);
        metrics.record(GrpcCall.refused("/not/a/method", 0), GrpcStatus.UNIMPLEMENTED, 1_000_000);
        metrics.record(GrpcCall.refused("/x", 0), GrpcStatus.UNIMPLEMENTED, 1_000_000);
        assertThat(registry.get("junction.grpc.calls").tags("pipeline", "front", "service", "pkg.Echo", "method", "Say", "status", "OK")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("junction.grpc.calls").tags("service", "pkg.Echo", "status", "UNAVAILABLE").counter().count()).isEqualTo(1);
        assertThat(registry.get("junction.grpc.call.duration").tags("service", "pkg.Echo", "method", "Say").timer().count()).isEqualTo(3);
        assertThat(registry.get("junction.grpc.calls").tags("service", GrpcCall.UNKNOWN_NAME, "method", GrpcCall.UNKNOWN_NAME)
                .counter().count()).isEqualTo(2); // paths that name no method share one set of meters
        for (int i = 0; i < GrpcMetrics.MAX_METHODS + 50; i++) {
            metrics.record(GrpcCall.refused("/svc" + i + "/M", 0), GrpcStatus.OK, 1);
        }
        long named = registry.find("junction.grpc.call.duration").timers().stream()
                .filter(t -> !GrpcMetrics.OTHER.equals(t.getId().getTag("service"))).count();
        assertThat(named).isEqualTo(GrpcMetrics.MAX_METHODS);
        // pkg.Echo/Say and the unknown pair hold 2 of the MAX_METHODS places: 998 of the loop's names get theirs
        assertThat(registry.get("junction.grpc.calls").tags("service", GrpcMetrics.OTHER, "method", GrpcMetrics.OTHER).counter().count())
                .isEqualTo(52);
    }

    private static HttpRoutes.Compiled route(HttpRouteMatch match) {
        return new HttpRoutes.Compiled(0, "r", match, null, null, null);
    }

    private static HttpRoutes.RequestView grpc(String path) {
        return new HttpRoutes.RequestView("POST", "x", path, null, new HttpHeaders().add("content-type", "application/grpc"), true);
    }

    private static HttpRoutes.RequestView plain(String path) {
        return new HttpRoutes.RequestView("POST", "x", path, null, new HttpHeaders().add("content-type", "application/json"), false);
    }
}
