package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * An endpoint for balancer tests: a fixed id, and settable weight, open connections, requests in
 * flight, latency and health. Equal only to itself.
 */
final class TestEndpoint implements Endpoint {

    private final String id;
    private volatile int weight;
    private volatile int connections;
    private volatile int requests;
    private volatile long latencyNanos;
    private volatile boolean healthy = true;

    private TestEndpoint(String id, int weight) {
        this.id = id;
        this.weight = weight;
    }

    static TestEndpoint of(String id, int weight) {
        return new TestEndpoint(id, weight);
    }

    /** An endpoint with {@code active} open connections, each carrying one request. */
    static TestEndpoint of(String id, int weight, int active) {
        return new TestEndpoint(id, weight).withActive(active);
    }

    TestEndpoint withActive(int active) {
        connections = active;
        requests = active;
        return this;
    }

    TestEndpoint withRequests(int active) {
        requests = active;
        return this;
    }

    TestEndpoint withWeight(int now) {
        weight = now;
        return this;
    }

    TestEndpoint withLatencyMillis(long millis) {
        latencyNanos = millis * 1_000_000;
        return this;
    }

    TestEndpoint withHealthy(boolean healthy) {
        this.healthy = healthy;
        return this;
    }

    /** One more request in flight (one that never finishes, in the simulations). */
    void startOne() {
        requests++;
        connections++;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(id, 80);
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public int activeRequests() {
        return requests;
    }

    @Override
    public long latencyEwmaNanos() {
        return latencyNanos;
    }

    @Override
    public int activeConnections() {
        return connections;
    }

    @Override
    public void track(Channel connection) {
        throw new UnsupportedOperationException("balancers never track connections");
    }

    @Override
    public void connectFailed(Throwable cause) {
        throw new UnsupportedOperationException("balancers never report connect failures");
    }

    @Override
    public String toString() {
        return id;
    }
}
