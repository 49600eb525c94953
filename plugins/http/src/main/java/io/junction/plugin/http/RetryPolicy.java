package io.junction.plugin.http;

import io.junction.api.config.ConfigDoc;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When an {@code http} request is sent again, to a different endpoint: on which failures, for
 * which methods, how often, with what back-off. A request is only ever retried when Junction can
 * send it again whole — it has no body, or its route buffers bodies — and nothing of a response
 * has reached the client. Retries also need a slot of the upstream's retry budget.
 */
@ConfigDoc("Retries to a different endpoint; only for requests Junction can send again whole (no body, or a buffered one) "
        + "and before any response byte reached the client.")
public record RetryPolicy(
        @ConfigDoc(value = "Retries after the first try; 0 turns retries off.", defaultValue = "2") Integer attempts,
        @ConfigDoc(value = "What is retried: \"reset\" (the connection closed or reset before a response), \"timeout\" "
                + "(no response within perTryTimeout), \"5xx\", \"gateway-error\" (502, 503, 504), a status such as \"503\", or for gRPC calls "
                + "a gRPC status a backend answered trailers-only: \"cancelled\", \"deadline-exceeded\", \"internal\", "
                + "\"resource-exhausted\", \"unavailable\". Connect failures are always tried on another endpoint (connectAttempts).", defaultValue = "[\"reset\"]")
        List<String> retryOn,
        @ConfigDoc(value = "Methods that may be retried.", defaultValue = "[\"GET\", \"HEAD\", \"OPTIONS\", \"TRACE\", \"PUT\", \"DELETE\"]")
        List<String> methods,
        @ConfigDoc("Time each try has for its response header; without it a try has the whole responseTimeout.") Duration perTryTimeout,
        @ConfigDoc(value = "Back-off before the first retry, doubled for each next one, with full jitter.", defaultValue = "25ms")
        Duration backoff,
        @ConfigDoc(value = "Longest back-off.", defaultValue = "250ms") Duration maxBackoff) {

    private static final Set<String> WORDS = Set.of("reset", "timeout", "5xx", "gateway-error");
    /** The gRPC statuses that may be retried (Envoy's retry_on grpc conditions). */
    private static final Set<String> GRPC_WORDS = Set.of("cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable");
    public static final RetryPolicy DEFAULT = new RetryPolicy(null, null, null, null, null, null);

    public RetryPolicy {
        attempts = attempts == null ? 2 : attempts;
        if (attempts < 0 || attempts > 10) {
            throw new IllegalArgumentException("attempts: expected 0 to 10, got " + attempts);
        }
        retryOn = retryOn == null ? List.of("reset") : List.copyOf(retryOn);
        for (String on : retryOn) {
            if (!WORDS.contains(on) && !GRPC_WORDS.contains(on) && !on.matches("5\\d\\d")) {
                throw new IllegalArgumentException("retryOn: unknown condition \"" + on
                        + "\"; expected reset, timeout, 5xx, gateway-error, a status 500 to 599, or a gRPC status: cancelled, "
                        + "deadline-exceeded, internal, resource-exhausted, unavailable");
            }
        }
        methods = methods == null ? List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE")
                : methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        for (String m : methods) {
            if (!m.matches("[A-Z]+")) {
                throw new IllegalArgumentException("methods: \"" + m + "\" is not a method");
            }
        }
        if (perTryTimeout != null && (perTryTimeout.isZero() || perTryTimeout.isNegative())) {
            throw new IllegalArgumentException("perTryTimeout: must be at least 1ms");
        }
        backoff = backoff == null ? Duration.ofMillis(25) : backoff;
        maxBackoff = maxBackoff == null ? Duration.ofMillis(250) : maxBackoff;
        if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("maxBackoff: must be at least backoff (" + backoff.toMillis() + "ms)");
        }
    }

    boolean allowsMethod(String method) {
        return attempts > 0 && methods.contains(method);
    }

    boolean onReset() {
        return retryOn.contains("reset");
    }

    boolean onTimeout() {
        return retryOn.contains("timeout");
    }

    boolean onStatus(int status) {
        if (status < 500 || status > 599) {
            return false;
        }
        return retryOn.contains("5xx") || (retryOn.contains("gateway-error") && status >= 502 && status <= 504)
                || retryOn.contains(Integer.toString(status));
    }

    /** Whether a gRPC call answered trailers-only with {@code status} is retried. */
    boolean onGrpcStatus(GrpcStatus status) {
        return retryOn.contains(status.retryName()) && GRPC_WORDS.contains(status.retryName());
    }

    /** The back-off before retry {@code n} (1-based): full jitter over backoff × 2^(n-1), capped. */
    long backoffMillis(int n) {
        long ceiling = Math.min(maxBackoff.toMillis(), backoff.toMillis() << Math.min(20, n - 1));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
