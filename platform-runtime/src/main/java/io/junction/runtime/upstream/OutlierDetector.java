package io.junction.runtime.upstream;

import io.junction.runtime.config.OutlierDetectionSection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier detection for one upstream: counts each endpoint's consecutive errors and
 * gateway failures and ejects it for {@code baseEjectionTime × n} (n = ejections in a row, capped
 * at {@code maxEjectionTime}), while no more than {@code maxEjectionPercent} of the endpoints (at
 * least one) are ejected. The n resets once an endpoint stayed in service for a whole
 * {@code maxEjectionTime}. With an active health check, an ejected endpoint returns only after a
 * check passes once its time is over.
 */
final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final String upstream;
    private final OutlierDetectionSection config;
    private final boolean healthChecked;
    private final Supplier<List<DefaultEndpoint>> endpoints;

    OutlierDetector(String upstream, OutlierDetectionSection config, boolean healthChecked, Supplier<List<DefaultEndpoint>> endpoints) {
        this.upstream = upstream;
        this.config = config;
        this.healthChecked = healthChecked;
        this.endpoints = endpoints;
    }

    /** Called after an error; {@code gateway} when the endpoint did not answer at all. */
    void failed(DefaultEndpoint endpoint, int consecutiveErrors, int consecutiveGatewayFailures, String what) {
        boolean errors = config.consecutiveErrors() > 0 && consecutiveErrors >= config.consecutiveErrors();
        boolean gateway = config.consecutiveGatewayFailures() > 0 && consecutiveGatewayFailures >= config.consecutiveGatewayFailures();
        if (errors || gateway) {
            eject(endpoint, errors ? consecutiveErrors + " consecutive errors" : consecutiveGatewayFailures + " consecutive gateway failures",
                    what);
        }
    }

    private synchronized void eject(DefaultEndpoint endpoint, String reason, String last) {
        long now = System.nanoTime();
        if (endpoint.ejectedAt(now)) {
            return;
        }
        List<DefaultEndpoint> all = endpoints.get();
        int ejected = 0;
        for (DefaultEndpoint e : all) {
            if (e.ejectedAt(now)) {
                ejected++;
            }
        }
        int allowed = Math.max(1, all.size() * config.maxEjectionPercent() / 100);
        if (ejected >= allowed) {
            endpoint.ejectionRefused();
            log.warn("upstream {} endpoint {} has {} (last: {}) but is not ejected: {} of {} endpoints are already ejected (maxEjectionPercent {})",
                    upstream, endpoint.id(), reason, last, ejected, all.size(), config.maxEjectionPercent());
            return;
        }
        long base = config.baseEjectionTime().toNanos();
        long max = config.maxEjectionTime().toNanos();
        int times = endpoint.inServiceSince(now) > max ? 1 : endpoint.ejections() + 1;
        long duration = Math.min(max, base * times);
        endpoint.eject(now + duration, times, healthChecked);
        log.warn("upstream {} endpoint {} ejected for {} ms (ejection {} in a row) after {}; last: {}{}", upstream, endpoint.id(),
                duration / 1_000_000, times, reason, last, healthChecked ? "; it returns after a passing health check" : "");
    }
}
