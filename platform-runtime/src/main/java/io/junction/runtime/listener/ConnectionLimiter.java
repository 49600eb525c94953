package io.junction.runtime.listener;

import io.junction.runtime.config.LimitsSection;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipeline's connection limits: open connections in all, open connections per client address,
 * and new connections per second (a token bucket holding one second's worth). Thread-safe; the
 * per-client table holds only clients with open connections.
 */
final class ConnectionLimiter {

    /** Why a connection was refused; the metric's {@code reason} tag. */
    enum Rejection {
        MAX_CONNECTIONS("max-connections"), PER_CLIENT("max-connections-per-client"), ACCEPT_RATE("accept-rate"),
        PROXY_PROTOCOL("proxy-protocol");

        final String tag;

        Rejection(String tag) {
            this.tag = tag;
        }
    }

    private final LimitsSection limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final Object bucketLock = new Object();
    private double tokens;
    private long refilledAt = System.nanoTime();

    ConnectionLimiter(LimitsSection limits) {
        this.limits = limits;
        this.tokens = limits.acceptRate() == null ? 0 : limits.acceptRate();
    }

    /** Admits a newly accepted connection against the pipeline-wide limits, or says why not. */
    Rejection admit(ClientTraffic connection) {
        if (limits.acceptRate() != null && !takeToken()) {
            return Rejection.ACCEPT_RATE;
        }
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            return Rejection.MAX_CONNECTIONS;
        }
        connection.holdOpenSlot(this);
        return null;
    }

    /** Admits a connection against the per-client limit, once its client address is known. */
    Rejection admitClient(ClientTraffic connection, InetAddress client) {
        Integer max = limits.maxConnectionsPerClient();
        if (max == null || client == null) {
            return null;
        }
        AtomicInteger count = perClient.compute(client, (address, c) -> {
            AtomicInteger counter = c == null ? new AtomicInteger() : c;
            counter.incrementAndGet();
            return counter;
        });
        if (count.get() > max) {
            release(client);
            return Rejection.PER_CLIENT;
        }
        connection.holdClientSlot(this, client);
        return null;
    }

    /** A connection admitted by {@link #admit} ended. */
    void closed() {
        open.decrementAndGet();
    }

    /** A connection of {@code client} admitted by {@link #admitClient} ended. */
    void release(InetAddress client) {
        perClient.computeIfPresent(client, (address, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    private boolean takeToken() {
        synchronized (bucketLock) {
            long now = System.nanoTime();
            int rate = limits.acceptRate();
            tokens = Math.min(rate, tokens + (now - refilledAt) * rate / 1e9);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
