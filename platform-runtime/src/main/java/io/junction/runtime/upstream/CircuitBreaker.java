package io.junction.runtime.upstream;

import io.junction.api.upstream.UpstreamLimits;
import io.junction.runtime.config.CircuitBreakerSection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream's {@link UpstreamLimits}: one counter per resource, refused beyond its cap. Retries
 * are also held to the retry budget, {@code max(minRetryConcurrency, retryBudgetPercent × requests in
 * flight)}, so that a failing upstream cannot turn every request into several. Lock-free.
 */
final class CircuitBreaker implements UpstreamLimits {

    private final AtomicInteger[] inUse = new AtomicInteger[Resource.values().length];
    private final Counter[] overflows = new Counter[Resource.values().length];
    private final int[] caps = new int[Resource.values().length];
    private final CircuitBreakerSection config;

    CircuitBreaker(String upstream, CircuitBreakerSection config, MeterRegistry metrics) {
        this.config = config;
        caps[Resource.CONNECTION.ordinal()] = orMax(config.maxConnections());
        caps[Resource.PENDING.ordinal()] = orMax(config.maxPending());
        caps[Resource.REQUEST.ordinal()] = orMax(config.maxRequests());
        caps[Resource.RETRY.ordinal()] = config.maxRetries();
        for (Resource r : Resource.values()) {
            String name = r.name().toLowerCase(java.util.Locale.ROOT);
            AtomicInteger count = new AtomicInteger();
            inUse[r.ordinal()] = count;
            Tags tags = Tags.of("upstream", upstream, "resource", name);
            Gauge.builder("junction.upstream.limits.in_use", count, AtomicInteger::get)
                    .description("Slots of the upstream's circuit breaker in use").tags(tags).register(metrics);
            overflows[r.ordinal()] = (Counter.builder("junction.upstream.limits.overflow")
                    .description("Requests or connections refused because the upstream's circuit breaker was full").tags(tags)
                    .register(metrics));
        }
    }

    private static int orMax(Integer cap) {
        return cap == null ? Integer.MAX_VALUE : cap;
    }

    @Override
    public boolean tryAcquire(Resource resource) {
        AtomicInteger count = inUse[resource.ordinal()];
        int cap = resource == Resource.RETRY ? Math.min(caps[resource.ordinal()], retryBudget()) : caps[resource.ordinal()];
        if (cap == Integer.MAX_VALUE) { // unlimited: only counted (requests in flight size the retry budget)
            count.incrementAndGet();
            return true;
        }
        for (;;) {
            int now = count.get();
            if (now >= cap) {
                overflows[resource.ordinal()].increment();
                return false;
            }
            if (count.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    private int retryBudget() {
        int requests = inUse[Resource.REQUEST.ordinal()].get();
        return Math.max(config.minRetryConcurrency(), requests * config.retryBudgetPercent() / 100);
    }

    @Override
    public void release(Resource resource) {
        inUse[resource.ordinal()].decrementAndGet();
    }

    int inUse(Resource resource) {
        return inUse[resource.ordinal()].get();
    }

    long overflows(Resource resource) {
        return (long) overflows[resource.ordinal()].count();
    }
}
