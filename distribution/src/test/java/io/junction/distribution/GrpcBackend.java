package io.junction.distribution;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A grpc-java server (h2c) for the gRPC tests, without protoc: every method carries UTF-8 strings. It serves
 * services {@code test.Echo} and {@code test.Kill} with the same methods, answers each with its name so a test
 * sees which backend answered, and runs the standard health service (SERVING unless made sick).
 */
final class GrpcBackend implements AutoCloseable {

    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final Metadata.Key<String> DETAIL = Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);

    static MethodDescriptor<String, String> method(String service, String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type).setFullMethodName(service + "/" + name)
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    private final String name;
    private final Server server;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger flakyCalls = new AtomicInteger();
    /** The deadline (ms left) each call that had one arrived with. */
    final ConcurrentLinkedQueue<Long> deadlinesMillis = new ConcurrentLinkedQueue<>();

    /** A backend called {@code name}; a sick one reports NOT_SERVING to health checks. */
    GrpcBackend(String name, boolean sick) throws IOException {
        this.name = name;
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", sick ? HealthCheckResponse.ServingStatus.NOT_SERVING : HealthCheckResponse.ServingStatus.SERVING);
        this.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(service("test.Echo")).addService(service("test.Kill")).addService(health.getHealthService())
                .build().start();
    }

    int port() {
        return server.getPort();
    }

    String endpoint() {
        return "127.0.0.1:" + port();
    }

    String name() {
        return name;
    }

    private void sawCall() {
        calls.incrementAndGet();
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null) {
            deadlinesMillis.add(deadline.timeRemaining(TimeUnit.MILLISECONDS));
        }
    }

    private ServerServiceDefinition service(String service) {
        return ServerServiceDefinition.builder(service)
                .addMethod(method(service, "Say", MethodDescriptor.MethodType.UNARY), ServerCalls.asyncUnaryCall((request, out) -> {
                    sawCall();
                    out.onNext(name + ":" + request);
                    out.onCompleted();
                }))
                .addMethod(method(service, "Slow", MethodDescriptor.MethodType.UNARY), ServerCalls.asyncUnaryCall((request, out) -> {
                    sawCall();
                    timers.schedule(() -> {
                        try {
                            out.onNext(name + ":late");
                            out.onCompleted();
                        } catch (RuntimeException cancelled) {
                            // the call was cancelled meanwhile: nothing to answer
                        }
                    }, Long.parseLong(request), TimeUnit.MILLISECONDS);
                }))
                .addMethod(method(service, "Fail", MethodDescriptor.MethodType.UNARY), ServerCalls.asyncUnaryCall((request, out) -> {
                    sawCall();
                    Metadata trailers = new Metadata();
                    trailers.put(DETAIL, "from-" + name);
                    out.onError(Status.NOT_FOUND.withDescription(request).asRuntimeException(trailers));
                }))
                .addMethod(method(service, "Flaky", MethodDescriptor.MethodType.UNARY), ServerCalls.asyncUnaryCall((request, out) -> {
                    sawCall();
                    if (name.endsWith("1")) { // the first backend of a set is down for this method
                        flakyCalls.incrementAndGet();
                        out.onError(Status.UNAVAILABLE.withDescription("flaky " + name).asRuntimeException());
                        return;
                    }
                    out.onNext(name + ":" + request);
                    out.onCompleted();
                }))
                .addMethod(method(service, "Stream", MethodDescriptor.MethodType.SERVER_STREAMING),
                        ServerCalls.asyncServerStreamingCall((request, out) -> {
                            sawCall();
                            // "count,intervalMs" or "count,intervalMs,fail": that many messages, then OK or an error with trailers
                            String[] spec = request.split(",");
                            stream(out, 0, Integer.parseInt(spec[0]), Long.parseLong(spec[1]), spec.length > 2);
                        }))
                .addMethod(method(service, "Collect", MethodDescriptor.MethodType.CLIENT_STREAMING),
                        ServerCalls.asyncClientStreamingCall(out -> collector(out)))
                .addMethod(method(service, "CollectBuffered", MethodDescriptor.MethodType.CLIENT_STREAMING),
                        ServerCalls.asyncClientStreamingCall(out -> collector(out)))
                .addMethod(method(service, "Chat", MethodDescriptor.MethodType.BIDI_STREAMING),
                        ServerCalls.asyncBidiStreamingCall(out -> {
                            sawCall();
                            return new StreamObserver<String>() {
                                @Override
                                public void onNext(String value) {
                                    out.onNext(name + ":" + value);
                                }

                                @Override
                                public void onError(Throwable t) {
                                }

                                @Override
                                public void onCompleted() {
                                    out.onCompleted();
                                }
                            };
                        }))
                .build();
    }

    private StreamObserver<String> collector(StreamObserver<String> out) {
        sawCall();
        List<String> got = new ArrayList<>();
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                got.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                out.onNext(name + ":" + String.join(",", got));
                out.onCompleted();
            }
        };
    }

    private void stream(StreamObserver<String> out, int i, int count, long intervalMillis, boolean fail) {
        try {
            if (i == count) {
                if (fail) {
                    Metadata trailers = new Metadata();
                    trailers.put(DETAIL, "after-" + count);
                    out.onError(Status.FAILED_PRECONDITION.withDescription("stopped after " + count).asRuntimeException(trailers));
                } else {
                    out.onCompleted();
                }
                return;
            }
            out.onNext(name + ":" + i);
        } catch (RuntimeException cancelled) {
            return;
        }
        timers.schedule(() -> stream(out, i + 1, count, intervalMillis, fail), intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops at once, closing every connection (what a crashed backend looks like to Junction). */
    void kill() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        timers.shutdownNow();
    }
}
