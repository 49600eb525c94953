package io.junction.runtime.upstream;

import io.junction.api.upstream.UpstreamLimits;
import io.junction.runtime.config.CircuitBreakerSection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream's {@link UpstreamLimits}: one counter per resource, refused beyond its cap. Retries
 * are also held to the retry budget, {@code max(minRetryConcurrency, retryBudgetPercent × requests in
 * flight)}, so that a failing upstream cannot turn every request into several. Lock-free.
 */
final class CircuitBreaker implements UpstreamLimits {

    private final Map<Resource, AtomicInteger> inUse = new EnumMap<>(Resource.class);
    private final Map<Resource, Counter> overflows = new EnumMap<>(Resource.class);
    private final Map<Resource, Integer> caps = new EnumMap<>(Resource.class);
    private final CircuitBreakerSection config;

    CircuitBreaker(String upstream, CircuitBreakerSection config, MeterRegistry metrics) {
        this.config = config;
        caps.put(Resource.CONNECTION, orMax(config.maxConnections()));
        caps.put(Resource.PENDING, orMax(config.maxPending()));
        caps.put(Resource.REQUEST, orMax(config.maxRequests()));
        caps.put(Resource.RETRY, config.maxRetries());
        for (Resource r : Resource.values()) {
            String name = r.name().toLowerCase(java.util.Locale.ROOT);
            AtomicInteger count = new AtomicInteger();
            inUse.put(r, count);
            Tags tags = Tags.of("upstream", upstream, "resource", name);
            Gauge.builder("junction.upstream.limits.in_use", count, AtomicInteger::get)
                    .description("Slots of the upstream's circuit breaker in use").tags(tags).register(metrics);
            overflows.put(r, Counter.builder("junction.upstream.limits.overflow")
                    .description("Requests or connections refused because the upstream's circuit breaker was full").tags(tags)
                    .register(metrics));
        }
    }

    private static int orMax(Integer cap) {
        return cap == null ? Integer.MAX_VALUE : cap;
    }

    @Override
    public boolean tryAcquire(Resource resource) {
        AtomicInteger count = inUse.get(resource);
        int cap = resource == Resource.RETRY ? Math.min(caps.get(resource), retryBudget()) : caps.get(resource);
        for (;;) {
            int now = count.get();
            if (now >= cap) {
                overflows.get(resource).increment();
                return false;
            }
            if (count.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private int retryBudget() {
        int requests = inUse.get(Resource.REQUEST).get();
        return Math.max(config.minRetryConcurrency(), requests * config.retryBudgetPercent() / 100);
    }

    @Override
    public void release(Resource resource) {
        inUse.get(resource).decrementAndGet();
    }

    int inUse(Resource resource) {
        return inUse.get(resource).get();
    }

    long overflows(Resource resource) {
        return (long) overflows.get(resource).count();
    }
}
