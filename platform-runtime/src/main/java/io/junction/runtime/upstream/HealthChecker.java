package io.junction.runtime.upstream;

import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckResult;
import io.junction.runtime.config.HealthCheckTiming;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an upstream's health check against each endpoint every interval (with up to 10% jitter, so
 * checks of many endpoints spread out) and flips an endpoint's health after the configured number of
 * consecutive passes or failures. Endpoints start healthy.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final DefaultUpstream upstream;
    private final HealthCheck check;
    private final HealthCheckTiming timing;
    private final ScheduledExecutorService scheduler;
    private volatile boolean closed;

    public HealthChecker(DefaultUpstream upstream, HealthCheck check, HealthCheckTiming timing, ScheduledExecutorService scheduler) {
        this.upstream = upstream;
        this.check = check;
        this.timing = timing;
        this.scheduler = scheduler;
    }

    public void start() {
        for (DefaultEndpoint endpoint : upstream.defaultEndpoints()) {
            schedule(new State(endpoint), jitter(timing.interval().toMillis() / 10 + 1));
        }
        // An endpoint a discovery adds is kept out until its first check passes (it might not be up yet).
        upstream.onEndpointAdded(endpoint -> {
            endpoint.healthy(false);
            State state = new State(endpoint);
            state.fresh = true;
            schedule(state, jitter(timing.interval().toMillis() / 10 + 1));
        });
    }

    private final class State {
        final DefaultEndpoint endpoint;
        int passes;
        int failures;
        boolean fresh;

        State(DefaultEndpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    private void schedule(State state, long delayMillis) {
        if (!closed) {
            scheduler.schedule(() -> probe(state), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void probe(State state) {
        if (state.endpoint.removed()) {
            return; // a discovery dropped it
        }
        long timeout = timing.timeout().toMillis();
        java.util.concurrent.CompletableFuture<HealthCheckResult> result;
        try {
            result = check.check(state.endpoint, timing.timeout()).toCompletableFuture();
        } catch (RuntimeException e) {
            result = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        result.orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((r, error) -> {
            HealthCheckResult outcome = error != null
                    ? HealthCheckResult.fail(unwrap(error) instanceof TimeoutException ? "timed out after " + timeout + "ms" : String.valueOf(unwrap(error)))
                    : r;
            record(state, outcome);
            long interval = timing.interval().toMillis();
            schedule(state, interval - interval / 20 + jitter(interval / 10 + 1));
        });
    }

    private void record(State state, HealthCheckResult outcome) {
        DefaultEndpoint endpoint = state.endpoint;
        if (outcome.healthy()) {
            endpoint.checkPassed(outcome.detail());
            state.failures = 0;
            state.passes++;
            if (!endpoint.healthy() && (state.fresh || state.passes >= timing.healthyThreshold())) {
                state.fresh = false;
                endpoint.healthy(true);
                log.info("upstream {} endpoint {} is healthy again: {}", upstream.name(), endpoint.id(), outcome.detail());
            }
        } else {
            endpoint.checkFailed(outcome.detail());
            state.passes = 0;
            state.failures++;
            if (endpoint.healthy() && state.failures >= timing.unhealthyThreshold()) {
                endpoint.healthy(false);
                log.warn("upstream {} endpoint {} is unhealthy after {} failed checks: {}", upstream.name(), endpoint.id(),
                        state.failures, outcome.detail());
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static long jitter(long bound) {
        return ThreadLocalRandom.current().nextLong(Math.max(1, bound));
    }

    @Override
    public void close() {
        closed = true;
    }
}
