package io.junction.bench.jmh;

import io.junction.api.upstream.Endpoint;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/** A plain endpoint for benchmarks: fixed weight, requests in flight and latency. */
final class BenchEndpoint implements Endpoint {

    private final String id;
    private final InetSocketAddress address;
    private final int weight;
    private final int requests;
    private final long latencyNanos;

    BenchEndpoint(int index, int weight, int requests, long latencyNanos) {
        this.id = "10.0." + index / 256 + "." + index % 256 + ":8080";
        this.address = InetSocketAddress.createUnresolved("10.0." + index / 256 + "." + index % 256, 8080);
        this.weight = weight;
        this.requests = requests;
        this.latencyNanos = latencyNanos;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean healthy() {
        return true;
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
        return requests;
    }

    @Override
    public void track(Channel connection) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void connectFailed(Throwable cause) {
        throw new UnsupportedOperationException();
    }
}
