package io.junction.bench.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A gRPC unary benchmark with no generated code: {@code server} answers {@code bench.Echo/Unary} with the
 * request's bytes; {@code load} calls it at a fixed rate (open loop, latency measured from each call's
 * scheduled start, so a stall is not hidden) from one channel, as a typical client does, and prints
 * calls/s and percentiles; {@code max} keeps a fixed number of calls in flight (closed loop). Everything
 * stops by itself after {@code --seconds}.
 */
public final class GrpcBench {

    static final MethodDescriptor<byte[], byte[]> UNARY = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("bench.Echo/Unary")
            .setRequestMarshaller(new Bytes())
            .setResponseMarshaller(new Bytes())
            .build();

    private GrpcBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
            return;
        }
        Options options = Options.parse(args, 2);
        switch (args[0]) {
            case "server" -> server(Integer.parseInt(args[1]), options);
            case "load" -> load(args[1], options, false);
            case "max" -> load(args[1], options, true);
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("""
                usage: grpc-bench server PORT [--seconds S]
                       grpc-bench load HOST:PORT --rate CALLS_PER_S [--seconds S] [--warmup S] [--payload BYTES] [--max-in-flight N]
                       grpc-bench max  HOST:PORT --concurrency N [--seconds S] [--warmup S] [--payload BYTES]""");
        System.exit(2);
    }

    private static void server(int port, Options options) throws Exception {
        ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .build();
        Server server = ServerBuilder.forPort(port).addService(service).directExecutor().build().start();
        System.out.println("grpc-bench server on port " + port + " for " + options.seconds + " s");
        server.awaitTermination(options.seconds, TimeUnit.SECONDS);
        server.shutdownNow();
    }

    private static void load(String target, Options options, boolean closedLoop) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().directExecutor().build();
        byte[] payload = new byte[options.payload];
        try {
            ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, payload); // connected and answering
            Run warmup = closedLoop ? closed(channel, payload, options.concurrency, options.warmup)
                    : open(channel, payload, options.rate, options.warmup, options.maxInFlight);
            Run run = closedLoop ? closed(channel, payload, options.concurrency, options.seconds)
                    : open(channel, payload, options.rate, options.seconds, options.maxInFlight);
            Histogram h = run.latency;
            System.out.printf(Locale.ROOT, "target %s  mode %s  calls/s %.0f  calls %d  errors %d  dropped %d  "
                            + "p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (warm-up %d calls)%n",
                    target, closedLoop ? "max c=" + options.concurrency : "rate=" + options.rate, run.calls / (double) options.seconds,
                    run.calls, run.errors, run.dropped, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), warmup.calls);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private record Run(Histogram latency, long calls, long errors, long dropped) {
    }

    /** Calls started on a fixed schedule; each call's latency counts from when it was due. */
    private static Run open(ManagedChannel channel, byte[] payload, int rate, int seconds, int maxInFlight) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long dropped = 0;
        Semaphore inFlight = new Semaphore(maxInFlight);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long due = start; due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inFlight.tryAcquire()) {
                dropped++;
                continue;
            }
            long scheduled = due;
            ClientCalls.asyncUnaryCall(channel.newCall(UNARY, CallOptions.DEFAULT), payload, new Observer(() -> {
                recorder.recordValue(System.nanoTime() - scheduled);
                calls.incrementAndGet();
                inFlight.release();
            }, () -> {
                errors.incrementAndGet();
                inFlight.release();
            }));
        }
        inFlight.tryAcquire(maxInFlight, 10, TimeUnit.SECONDS);
        return new Run(recorder.getIntervalHistogram(), calls.get(), errors.get(), dropped);
    }

    /** {@code concurrency} calls in flight at all times: the throughput ceiling. */
    private static Run closed(ManagedChannel channel, byte[] payload, int concurrency, int seconds) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong calls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Semaphore done = new Semaphore(0);
        for (int i = 0; i < concurrency; i++) {
            new Loop(channel, payload, recorder, calls, errors, end, done).next();
        }
        done.tryAcquire(concurrency, seconds + 10L, TimeUnit.SECONDS);
        return new Run(recorder.getIntervalHistogram(), calls.get(), errors.get(), 0);
    }

    /** One closed-loop caller: the next call starts when the last one ends, until the deadline. */
    private record Loop(ManagedChannel channel, byte[] payload, Recorder recorder, AtomicLong calls, AtomicLong errors, long end,
                        Semaphore done) {
        void next() {
            long started = System.nanoTime();
            if (started >= end) {
                done.release();
                return;
            }
            ClientCalls.asyncUnaryCall(channel.newCall(UNARY, CallOptions.DEFAULT), payload, new Observer(() -> {
                recorder.recordValue(System.nanoTime() - started);
                calls.incrementAndGet();
                next();
            }, () -> {
                errors.incrementAndGet();
                next();
            }));
        }
    }

    private record Observer(Runnable onSuccess, Runnable onFailure) implements StreamObserver<byte[]> {
        @Override
        public void onNext(byte[] value) {
        }

        @Override
        public void onError(Throwable t) {
            onFailure.run();
        }

        @Override
        public void onCompleted() {
            onSuccess.run();
        }
    }

    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Options {
        int seconds = 20;
        int warmup = 5;
        int rate = 1000;
        int concurrency = 16;
        int payload = 64;
        int maxInFlight = 1000;

        static Options parse(String[] args, int from) {
            Options options = new Options();
            for (int i = from; i + 1 < args.length; i += 2) {
                int value = Integer.parseInt(args[i + 1]);
                switch (args[i]) {
                    case "--seconds" -> options.seconds = value;
                    case "--warmup" -> options.warmup = value;
                    case "--rate" -> options.rate = value;
                    case "--concurrency" -> options.concurrency = value;
                    case "--payload" -> options.payload = value;
                    case "--max-in-flight" -> options.maxInFlight = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (options.seconds < 1 || options.seconds > 3600 || options.rate < 1 || options.concurrency < 1 || options.maxInFlight < 1) {
                throw new IllegalArgumentException("--seconds 1..3600, --rate, --concurrency and --max-in-flight at least 1");
            }
            return options;
        }
    }
}
