package io.junction.runtime.upstream;

import io.junction.api.discovery.DiscoveredEndpoint;
import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.HttpProtocol;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.Upstream;
import io.junction.api.upstream.UpstreamLimits;
import io.junction.api.upstream.UpstreamTls;
import io.junction.runtime.config.CircuitBreakerSection;
import io.junction.runtime.config.OutlierDetectionSection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream: its endpoints (static, plus those a discovery publishes), the balancer that picks
 * among the available ones, and the upstream-wide policies around it — panic threshold, slow
 * start, preferred endpoint, outlier detection, circuit breaker and TLS.
 */
public final class DefaultUpstream implements Upstream {

    private static final Logger log = LoggerFactory.getLogger(DefaultUpstream.class);

    /** Upstream-wide policies; see {@code UpstreamSection}. */
    public record Policies(OutlierDetectionSection outlierDetection, CircuitBreakerSection circuitBreaker, Duration slowStart,
                           int panicThreshold, boolean healthChecked, HttpProtocol httpProtocol) {
        public static final Policies NONE = new Policies(null, CircuitBreakerSection.DEFAULT, null, 0, false);

        /** Policies of an HTTP/1.1 upstream. */
        public Policies(OutlierDetectionSection outlierDetection, CircuitBreakerSection circuitBreaker, Duration slowStart,
                        int panicThreshold, boolean healthChecked) {
            this(outlierDetection, circuitBreaker, slowStart, panicThreshold, healthChecked, HttpProtocol.HTTP_1_1);
        }
    }

    /** One immutable set of endpoints; replaced as a whole when a discovery publishes. */
    private record Endpoints(List<DefaultEndpoint> all, List<Endpoint> view) {
        static Endpoints of(List<DefaultEndpoint> endpoints) {
            return new Endpoints(List.copyOf(endpoints), List.copyOf(endpoints));
        }
    }

    private final String name;
    private final List<DefaultEndpoint> configured;
    private final java.util.Set<String> configuredIds;
    private volatile Endpoints endpoints;
    private final Balancer balancer;
    private final Optional<UpstreamTls> tls;
    private final Policies policies;
    private final CircuitBreaker limits;
    private final OutlierDetector outliers;
    private final long slowStartNanos;
    private final MeterRegistry metrics;
    private final Counter panics;
    private final List<Consumer<DefaultEndpoint>> additions = new CopyOnWriteArrayList<>();

    public DefaultUpstream(String name, List<DefaultEndpoint> endpoints, Balancer balancer) {
        this(name, endpoints, balancer, null, Policies.NONE, new SimpleMeterRegistry());
    }

    /** @param tls TLS to the endpoints, or null for plain connections */
    public DefaultUpstream(String name, List<DefaultEndpoint> endpoints, Balancer balancer, UpstreamTls tls, Policies policies,
                           MeterRegistry metrics) {
        this.name = name;
        this.configured = List.copyOf(endpoints);
        this.configuredIds = endpoints.stream().map(DefaultEndpoint::id).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.endpoints = Endpoints.of(endpoints);
        this.balancer = balancer;
        this.tls = Optional.ofNullable(tls);
        this.policies = policies;
        this.metrics = metrics;
        this.limits = new CircuitBreaker(name, policies.circuitBreaker(), metrics);
        this.outliers = policies.outlierDetection() == null ? null
                : new OutlierDetector(name, policies.outlierDetection(), policies.healthChecked(), () -> this.endpoints.all());
        this.slowStartNanos = policies.slowStart() == null ? 0 : policies.slowStart().toNanos();
        this.panics = Counter.builder("junction.upstream.panic").description("Picks made among all endpoints because too few were available")
                .tag("upstream", name).register(metrics);
        endpoints.forEach(e -> e.outlierDetector(outliers));
    }

    @Override
    public Optional<UpstreamTls> tls() {
        return tls;
    }

    @Override
    public UpstreamLimits limits() {
        return limits;
    }

    @Override
    public HttpProtocol httpProtocol() {
        return policies.httpProtocol();
    }

    CircuitBreaker circuitBreaker() {
        return limits;
    }

    Policies policies() {
        return policies;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints.view();
    }

    List<DefaultEndpoint> defaultEndpoints() {
        return endpoints.all();
    }

    /** Calls {@code listener} with each endpoint a discovery adds from now on. */
    void onEndpointAdded(Consumer<DefaultEndpoint> listener) {
        additions.add(listener);
    }

    @Override
    public Optional<Endpoint> pick(PickContext context) {
        Endpoints current = endpoints;
        Optional<Endpoint> preferred = context.preferred();
        if (preferred.isPresent() && preferred.get() instanceof DefaultEndpoint p && current.all().contains(p)
                && p.available() && !context.isExcluded(p)) {
            return preferred;
        }
        List<Endpoint> candidates = candidates(current, context);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Endpoint chosen = choose(candidates, context);
        if (slowStartNanos > 0 && candidates.size() > 1) {
            double share = ((DefaultEndpoint) chosen).rampShare(slowStartNanos);
            if (share < 1 && ThreadLocalRandom.current().nextDouble() >= share) {
                List<Endpoint> others = new ArrayList<>(candidates);
                others.remove(chosen);
                chosen = choose(others, context);
            }
        }
        return Optional.of(chosen);
    }

    private Endpoint choose(List<Endpoint> candidates, PickContext context) {
        Endpoint chosen = balancer.pick(candidates, context);
        if (chosen == null || !candidates.contains(chosen)) {
            throw new IllegalStateException("balancer " + balancer.getClass().getName() + " of upstream " + name
                    + " returned " + chosen + ", which is not one of its candidates");
        }
        return chosen;
    }

    private List<Endpoint> candidates(Endpoints current, PickContext context) {
        List<DefaultEndpoint> all = current.all();
        boolean noExclusions = context.excluded().isEmpty();
        boolean allAvailable = noExclusions;
        for (int i = 0; allAvailable && i < all.size(); i++) {
            allAvailable = all.get(i).available();
        }
        if (allAvailable) {
            return current.view();
        }
        List<Endpoint> candidates = new ArrayList<>(all.size());
        int available = 0;
        for (DefaultEndpoint e : all) {
            if (e.available()) {
                available++;
                if (!context.isExcluded(e)) {
                    candidates.add(e);
                }
            }
        }
        if (available * 100 < policies.panicThreshold() * all.size()) {
            panics.increment();
            candidates.clear();
            for (DefaultEndpoint e : all) {
                if (!context.isExcluded(e)) {
                    candidates.add(e);
                }
            }
        }
        return candidates;
    }

    /**
     * Replaces the discovered endpoints with {@code discovered}; the configured ones stay.
     * Endpoints that stay keep their state; new ones ramp up (slow start) unless the upstream had
     * none; dropped ones leave the balancer at once (their open connections finish).
     */
    public synchronized void discovered(List<DiscoveredEndpoint> discovered) {
        Map<String, DefaultEndpoint> before = new HashMap<>();
        endpoints.all().forEach(e -> before.put(e.id(), e));
        boolean wasEmpty = before.isEmpty();
        List<DefaultEndpoint> next = new ArrayList<>(configured);
        List<DefaultEndpoint> added = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>(configuredIds);
        for (DiscoveredEndpoint d : discovered) {
            if (!ids.add(d.id())) {
                continue; // written in the config (the static endpoint stays as it is), or published twice
            }
            DefaultEndpoint existing = before.get(d.id());
            if (existing != null && existing.address().equals(d.address()) && existing.weight() == d.weight()) {
                next.add(existing);
            } else {
                if (existing != null) {
                    before.remove(d.id()); // changed weight: a new endpoint under the same id (and meters)
                    existing.remove();
                }
                DefaultEndpoint fresh = new DefaultEndpoint(name, d.id(), d.address(), d.weight(), metrics);
                fresh.outlierDetector(outliers);
                if (!wasEmpty) {
                    fresh.startRamp();
                }
                next.add(fresh);
                added.add(fresh);
            }
        }
        List<DefaultEndpoint> removed = new ArrayList<>(before.values());
        removed.removeAll(next);
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        for (DefaultEndpoint e : added) { // before they can be picked: a health checker keeps them out until checked
            additions.forEach(listener -> listener.accept(e));
        }
        endpoints = Endpoints.of(next);
        removed.forEach(DefaultEndpoint::remove);
        log.info("upstream {}: endpoints now {} (added {}, removed {})", name, next, added, removed);
    }

    @Override
    public String toString() {
        return name + endpoints.all();
    }
}
