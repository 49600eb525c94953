package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A value-object endpoint for balancer tests: fixed id and weight, settable open connections. */
record TestEndpoint(String id, int weight, AtomicInteger connections) implements Endpoint {

    static TestEndpoint of(String id, int weight) {
        return new TestEndpoint(id, weight, new AtomicInteger());
    }

    static TestEndpoint of(String id, int weight, int activeConnections) {
        return new TestEndpoint(id, weight, new AtomicInteger(activeConnections));
    }

    TestEndpoint withActive(int activeConnections) {
        connections.set(activeConnections);
        return this;
    }

    @Override
    public InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(id, 80);
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public int activeConnections() {
        return connections.get();
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
