package io.junction.api.upstream;

/**
 * An upstream's circuit breaker: caps on what may be in flight to all its endpoints at once.
 * A protocol acquires a slot before using the resource and releases it exactly once after; when
 * {@link #tryAcquire} refuses, the protocol answers at once (HTTP 503) instead of queueing. The
 * runtime counts every refusal. Thread-safe; never blocks. Since API 1.2.
 */
public interface UpstreamLimits {

    /** What is limited. */
    enum Resource {
        /** Open connections to the upstream's endpoints. */
        CONNECTION,
        /** Requests waiting for a connection to be opened. */
        PENDING,
        /** Requests, calls or queries in flight. */
        REQUEST,
        /** Retries in flight; also bounded by the retry budget (a share of requests in flight). */
        RETRY
    }

    /** Takes one slot of {@code resource}; false (and counted as an overflow) when none is free. */
    boolean tryAcquire(Resource resource);

    /** Gives back a slot taken by a successful {@link #tryAcquire}. */
    void release(Resource resource);

    /** Limits that never refuse. */
    UpstreamLimits UNLIMITED = new UpstreamLimits() {
        @Override
        public boolean tryAcquire(Resource resource) {
            return true;
        }

        @Override
        public void release(Resource resource) {
        }
    };
}
