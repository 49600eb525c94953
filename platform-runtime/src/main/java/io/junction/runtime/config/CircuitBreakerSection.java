package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;

/**
 * {@code "circuitBreaker"} of an upstream: caps on what may be in flight to all its endpoints;
 * beyond a cap a protocol answers at once (HTTP 503) rather than queue.
 */
@ConfigDoc("Caps on connections, pending and active requests and retries to the whole upstream; beyond one, requests fail at once (HTTP 503).")
public record CircuitBreakerSection(
        @ConfigDoc("Most open connections to the upstream's endpoints; unlimited if absent.") Integer maxConnections,
        @ConfigDoc("Most requests waiting for a new connection; unlimited if absent.") Integer maxPending,
        @ConfigDoc("Most requests, calls or queries in flight; unlimited if absent.") Integer maxRequests,
        @ConfigDoc(value = "Most retries in flight.", defaultValue = "3") Integer maxRetries,
        @ConfigDoc(value = "Retries in flight may also not exceed this percentage of the requests in flight...", defaultValue = "20")
        Integer retryBudgetPercent,
        @ConfigDoc(value = "...but this many retries are always allowed (subject to maxRetries).", defaultValue = "3")
        Integer minRetryConcurrency) {

    public static final CircuitBreakerSection DEFAULT = new CircuitBreakerSection(null, null, null, null, null, null);

    public CircuitBreakerSection {
        maxRetries = maxRetries == null ? 3 : maxRetries;
        retryBudgetPercent = retryBudgetPercent == null ? 20 : retryBudgetPercent;
        minRetryConcurrency = minRetryConcurrency == null ? 3 : minRetryConcurrency;
        atLeast("maxConnections", maxConnections, 1);
        atLeast("maxPending", maxPending, 0);
        atLeast("maxRequests", maxRequests, 1);
        atLeast("maxRetries", maxRetries, 0);
        atLeast("minRetryConcurrency", minRetryConcurrency, 0);
        if (retryBudgetPercent < 0 || retryBudgetPercent > 100) {
            throw new IllegalArgumentException("retryBudgetPercent: expected 0 to 100, got " + retryBudgetPercent);
        }
    }

    private static void atLeast(String field, Integer value, int min) {
        if (value != null && value < min) {
            throw new IllegalArgumentException(field + ": must be at least " + min + ", got " + value);
        }
    }
}
