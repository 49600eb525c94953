package io.junction.plugin.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An {@code http} pipeline's gRPC meters: calls by service, method and gRPC status
 * ({@code junction.grpc.calls}) and their duration ({@code junction.grpc.call.duration}). Service and
 * method come from the request path, which clients choose, so at most {@link #MAX_METHODS} pairs get
 * meters of their own; the rest are counted as service and method "other".
 */
final class GrpcMetrics {

    static final int MAX_METHODS = 1000;
    static final String OTHER = "other";

    private final String pipeline;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, MethodMeters> methods = new ConcurrentHashMap<>();
    private volatile MethodMeters other;

    GrpcMetrics(String pipeline, MeterRegistry registry) {
        this.pipeline = pipeline;
        this.registry = registry;
    }

    /** One call ended with {@code status}, {@code nanos} after its request head arrived. */
    void record(GrpcCall call, GrpcStatus status, long nanos) {
        meters(call).record(status, nanos);
    }

    /** The meters of the call's service and method, looked up by its path (no string built per call). */
    private MethodMeters meters(GrpcCall call) {
        String key = call.metersKey();
        MethodMeters meters = methods.get(key);
        if (meters != null) {
            return meters;
        }
        if (methods.size() >= MAX_METHODS) {
            return other();
        }
        return methods.computeIfAbsent(key, k -> new MethodMeters(call.service(), call.method()));
    }

    private MethodMeters other() {
        MethodMeters meters = other;
        if (meters == null) {
            synchronized (this) {
                if (other == null) {
                    other = new MethodMeters(OTHER, OTHER);
                }
                meters = other;
            }
        }
        return meters;
    }

    /** The meters of one service and method; a status's counter is made the first time it occurs. */
    private final class MethodMeters {

        private final Tags tags;
        private final Timer duration;
        private final Counter[] byStatus = new Counter[GrpcStatus.values().length];

        MethodMeters(String service, String method) {
            this.tags = Tags.of("pipeline", pipeline, "service", service, "method", method);
            this.duration = Timer.builder("junction.grpc.call.duration")
                    .description("Time from a gRPC call's request head to the end of its response").tags(tags).register(registry);
        }

        void record(GrpcStatus status, long nanos) {
            Counter counter = byStatus[status.ordinal()];
            if (counter == null) { // racing threads register the same meter: the registry returns the one instance
                counter = Counter.builder("junction.grpc.calls").description("gRPC calls ended, by service, method and gRPC status")
                        .tags(tags.and("status", status.name())).register(registry);
                byStatus[status.ordinal()] = counter;
            }
            counter.increment();
            duration.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
