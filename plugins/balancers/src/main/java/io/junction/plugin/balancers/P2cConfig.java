package io.junction.plugin.balancers;

import io.junction.api.config.ConfigDoc;
import java.time.Duration;

/** Settings of {@code p2c}: whether latency counts, and what to assume before it is known. */
@ConfigDoc("Power of two choices: the less loaded of two random endpoints.")
public record P2cConfig(
        @ConfigDoc(value = "Weigh each endpoint's load by its peak-EWMA response latency (Finagle, Linkerd), so slow "
                + "endpoints get less.", defaultValue = "false") Boolean peakEwma,
        @ConfigDoc(value = "With peakEwma, the latency assumed for an endpoint not timed yet. Absent: it counts as "
                + "fast as the endpoint it is compared with, so only requests in flight decide.") Duration defaultLatency) {

    public P2cConfig {
        peakEwma = peakEwma != null && peakEwma;
        if (defaultLatency != null) {
            if (!peakEwma) {
                throw new IllegalArgumentException("defaultLatency: only used with \"peakEwma\": true");
            }
            if (defaultLatency.isNegative() || defaultLatency.isZero() || defaultLatency.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("defaultLatency: expected more than 0 and at most 10m, got "
                        + defaultLatency.toMillis() + "ms");
            }
        }
    }
}
