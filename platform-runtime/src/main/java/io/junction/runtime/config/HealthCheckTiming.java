package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;
import java.time.Duration;

/** The runtime's fields of a {@code "healthCheck"} object; the other fields belong to the check's type. */
public record HealthCheckTiming(
        @ConfigDoc(value = "Time between checks of one endpoint (with up to 10% jitter).", defaultValue = "5s") Duration interval,
        @ConfigDoc(value = "How long one check may take.", defaultValue = "1s") Duration timeout,
        @ConfigDoc(value = "Consecutive passes that make an unhealthy endpoint healthy.", defaultValue = "2") Integer healthyThreshold,
        @ConfigDoc(value = "Consecutive failures that make a healthy endpoint unhealthy.", defaultValue = "3") Integer unhealthyThreshold) {

    public static final java.util.Set<String> FIELDS = java.util.Set.of("interval", "timeout", "healthyThreshold", "unhealthyThreshold");

    public HealthCheckTiming {
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        timeout = timeout == null ? Duration.ofSeconds(1) : timeout;
        healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
        unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("interval: must be at least 10ms");
        }
        if (timeout.isZero() || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("timeout: must be more than 0 and at most the interval (" + Durations.format(interval) + ")");
        }
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException((healthyThreshold < 1 ? "healthyThreshold" : "unhealthyThreshold") + ": must be at least 1");
        }
    }
}
