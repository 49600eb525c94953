package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;
import java.time.Duration;

/** {@code "outlierDetection"} of an upstream: passive ejection of endpoints that keep failing. */
@ConfigDoc("Passive outlier detection: an endpoint that fails several requests in a row is ejected for a while.")
public record OutlierDetectionSection(
        @ConfigDoc(value = "Consecutive errors (server errors such as HTTP 5xx, connect failures, resets, timeouts) that eject an endpoint; 0 turns it off.",
                defaultValue = "5") Integer consecutiveErrors,
        @ConfigDoc(value = "Consecutive gateway failures (connect failures, resets, timeouts — no answer at all) that eject an endpoint; 0 turns it off.",
                defaultValue = "3") Integer consecutiveGatewayFailures,
        @ConfigDoc(value = "First ejection time; the n-th ejection in a row lasts n times as long.", defaultValue = "30s") Duration baseEjectionTime,
        @ConfigDoc(value = "Longest ejection.", defaultValue = "300s") Duration maxEjectionTime,
        @ConfigDoc(value = "Most endpoints ejected at once, in percent of the upstream's endpoints (at least one may always be ejected).",
                defaultValue = "50") Integer maxEjectionPercent) {

    public OutlierDetectionSection {
        consecutiveErrors = consecutiveErrors == null ? 5 : consecutiveErrors;
        consecutiveGatewayFailures = consecutiveGatewayFailures == null ? 3 : consecutiveGatewayFailures;
        baseEjectionTime = baseEjectionTime == null ? Duration.ofSeconds(30) : baseEjectionTime;
        maxEjectionTime = maxEjectionTime == null ? Duration.ofSeconds(300) : maxEjectionTime;
        maxEjectionPercent = maxEjectionPercent == null ? 50 : maxEjectionPercent;
        if (consecutiveErrors < 0) {
            throw new IllegalArgumentException("consecutiveErrors: must be 0 (off) or more, got " + consecutiveErrors);
        }
        if (consecutiveGatewayFailures < 0) {
            throw new IllegalArgumentException("consecutiveGatewayFailures: must be 0 (off) or more, got " + consecutiveGatewayFailures);
        }
        if (baseEjectionTime.toMillis() < 1) {
            throw new IllegalArgumentException("baseEjectionTime: must be at least 1ms");
        }
        if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("maxEjectionTime: must be at least baseEjectionTime (" + Durations.format(baseEjectionTime) + ")");
        }
        if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
            throw new IllegalArgumentException("maxEjectionPercent: expected 0 to 100, got " + maxEjectionPercent);
        }
    }
}
