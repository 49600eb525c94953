package io.junction.runtime.upstream;

import io.junction.api.upstream.Endpoint;
import io.junction.runtime.transport.ByteCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** An endpoint with its live connection counts and health, exported as metrics. */
public final class DefaultEndpoint implements Endpoint {

    /** The name of the byte counter in each connection's pipeline. */
    static final String TRAFFIC = "junction-endpoint-traffic";

    private final String id;
    private final InetSocketAddress address;
    private final int weight;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter total;
    private final Counter connectFailures;
    private final Counter bytesSent;
    private final Counter bytesReceived;
    private final io.micrometer.core.instrument.Timer duration;
    private volatile boolean healthy = true;

    public DefaultEndpoint(String upstream, String id, InetSocketAddress address, int weight, MeterRegistry metrics) {
        this.id = id;
        this.address = address;
        this.weight = weight;
        Tags tags = Tags.of("upstream", upstream, "endpoint", id);
        Gauge.builder("junction.upstream.endpoint.connections.active", active, AtomicInteger::get)
                .description("Open connections to the endpoint").tags(tags).register(metrics);
        Gauge.builder("junction.upstream.endpoint.healthy", this, e -> e.healthy ? 1 : 0)
                .description("1 when the endpoint passes its health check").tags(tags).register(metrics);
        this.total = Counter.builder("junction.upstream.endpoint.connections").description("Connections opened to the endpoint")
                .tags(tags).register(metrics);
        this.connectFailures = Counter.builder("junction.upstream.endpoint.connect.failures")
                .description("Failed attempts to connect to the endpoint").tags(tags).register(metrics);
        this.bytesSent = Counter.builder("junction.upstream.endpoint.sent.bytes").description("Bytes sent to the endpoint")
                .baseUnit("bytes").tags(tags).register(metrics);
        this.bytesReceived = Counter.builder("junction.upstream.endpoint.received.bytes")
                .description("Bytes received from the endpoint").baseUnit("bytes").tags(tags).register(metrics);
        this.duration = io.junction.runtime.metrics.ConnectionTimers.register("junction.upstream.endpoint.connection.duration",
                "How long connections to the endpoint stayed open", tags, metrics);
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
        return healthy;
    }

    void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    @Override
    public int activeConnections() {
        return active.get();
    }

    @Override
    public void track(Channel connection) {
        active.incrementAndGet();
        total.increment();
        connection.pipeline().addFirst(TRAFFIC, new ByteCounter(bytesReceived, bytesSent));
        long start = System.nanoTime();
        connection.closeFuture().addListener(f -> {
            active.decrementAndGet();
            duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public void connectFailed(Throwable cause) {
        connectFailures.increment();
    }

    @Override
    public String toString() {
        return id;
    }
}
