package io.junction.runtime.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Histograms of connection lifetimes, with buckets from 10 ms to an hour (few, so Prometheus stays small). */
public final class ConnectionTimers {

    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1)};

    private ConnectionTimers() {
    }

    public static Timer register(String name, String description, Tags tags, MeterRegistry registry) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS).tags(tags).register(registry);
    }
}
