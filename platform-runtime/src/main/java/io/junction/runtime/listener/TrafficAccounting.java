package io.junction.runtime.listener;

import io.junction.runtime.transport.ByteCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a pipeline's connections and, through a {@link ByteCounter} placed first on each of them,
 * the bytes read from and written to its clients. One per pipeline.
 */
public final class TrafficAccounting {

    /** The name of the byte counter in each connection's pipeline. */
    public static final String NAME = "junction-accounting";

    private final AtomicInteger active = new AtomicInteger();
    private final Counter accepted;
    private final Counter refused;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final io.micrometer.core.instrument.Timer duration;

    public TrafficAccounting(String pipeline, MeterRegistry metrics) {
        Tags tags = Tags.of("pipeline", pipeline);
        Gauge.builder("junction.pipeline.connections.active", active, AtomicInteger::get)
                .description("Client connections open now").tags(tags).register(metrics);
        accepted = Counter.builder("junction.pipeline.connections").description("Client connections accepted")
                .tags(tags).register(metrics);
        refused = Counter.builder("junction.pipeline.connections.refused").description("Client connections closed by a connection filter")
                .tags(tags).register(metrics);
        bytesIn = Counter.builder("junction.pipeline.received.bytes").description("Bytes received from clients")
                .baseUnit("bytes").tags(tags).register(metrics);
        bytesOut = Counter.builder("junction.pipeline.sent.bytes").description("Bytes sent to clients")
                .baseUnit("bytes").tags(tags).register(metrics);
        duration = io.junction.runtime.metrics.ConnectionTimers.register("junction.pipeline.connection.duration",
                "How long client connections stayed open", tags, metrics);
    }

    /** Counts a newly accepted connection and its bytes until it closes; the counter it puts first settles the end. */
    ClientTraffic opened(io.netty.channel.Channel channel) {
        ClientTraffic traffic = new ClientTraffic(bytesIn, bytesOut, this, System.nanoTime());
        channel.pipeline().addFirst(NAME, traffic);
        active.incrementAndGet();
        accepted.increment();
        return traffic;
    }

    /** A connection counted by {@link #opened} ended. */
    void closed(long openedAt) {
        active.decrementAndGet();
        duration.record(System.nanoTime() - openedAt, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void refused() {
        refused.increment();
    }

    public int active() {
        return active.get();
    }
}
