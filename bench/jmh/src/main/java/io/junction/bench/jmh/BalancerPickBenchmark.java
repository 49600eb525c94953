package io.junction.bench.jmh;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import io.junction.plugin.balancers.LeastConnectionsBalancer;
import io.junction.plugin.balancers.LeastRequestsBalancer;
import io.junction.plugin.balancers.LeastRequestsConfig;
import io.junction.plugin.balancers.MaglevBalancer;
import io.junction.plugin.balancers.MaglevConfig;
import io.junction.plugin.balancers.P2cBalancer;
import io.junction.plugin.balancers.P2cConfig;
import io.junction.plugin.balancers.RandomBalancer;
import io.junction.plugin.balancers.RingHashBalancer;
import io.junction.plugin.balancers.RingHashConfig;
import io.junction.plugin.balancers.RoundRobinBalancer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@link Balancer#pick} for each balancer, at 3, 30 and 300 endpoints.
 *
 * <p>Weights are 1, 2, 3, 1, 2, 3, ... (so {@code round-robin} takes its smooth, locked path;
 * {@code round-robin-equal} has all weights 1, its lock-free path). Requests in flight and
 * latencies are fixed random values ({@code least-requests-full} compares every candidate,
 * {@code least-requests} samples 4 above 64). The candidate list is the same on every pick,
 * immutable or not ({@link #list}). The hashing balancers hash the
 * client address of one of 1,024 contexts in turn. {@code pick} runs on one thread;
 * {@code pickTwoThreads} on two sharing the balancer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class BalancerPickBenchmark {

    private static final int CONTEXTS = 1024;

    @Param({"round-robin", "round-robin-equal", "random", "least-connections", "least-requests", "least-requests-full", "p2c",
            "p2c-peak-ewma",
            "ring-hash", "maglev"})
    public String balancer;

    @Param({"3", "30", "300"})
    public int endpoints;

    /**
     * {@code immutable}: the same immutable list on every pick, as the runtime passes while every
     * endpoint is available. {@code mutable}: the same contents in an {@code ArrayList}, as while
     * one is not, which balancers must read afresh on every pick.
     */
    @Param({"immutable", "mutable"})
    public String list;

    private Balancer subject;
    private List<Endpoint> candidates;
    private PickContext[] contexts;

    /** Each thread walks the contexts on its own. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Setup
    public void setUp() throws UnknownHostException {
        SplittableRandom random = new SplittableRandom(1);
        boolean equal = balancer.equals("round-robin-equal");
        List<Endpoint> built = new ArrayList<>(endpoints);
        for (int i = 0; i < endpoints; i++) {
            built.add(new BenchEndpoint(i, equal ? 1 : 1 + i % 3, random.nextInt(10), random.nextLong(1_000_000, 50_000_000)));
        }
        candidates = list.equals("mutable") ? built : List.copyOf(built);
        contexts = new PickContext[CONTEXTS];
        for (int i = 0; i < CONTEXTS; i++) {
            byte[] ip = {(byte) 192, (byte) 168, (byte) (i >>> 8), (byte) i};
            contexts[i] = PickContext.forClient(new InetSocketAddress(InetAddress.getByAddress(ip), 40_000 + i));
        }
        subject = create(balancer);
        for (PickContext context : contexts) {
            subject.pick(candidates, context); // builds the hashing balancers' tables
        }
    }

    private static Balancer create(String type) {
        return switch (type) {
            case "round-robin", "round-robin-equal" -> new RoundRobinBalancer();
            case "random" -> new RandomBalancer();
            case "least-connections" -> new LeastConnectionsBalancer();
            case "least-requests" -> new LeastRequestsBalancer(new LeastRequestsConfig(null, null));
            case "least-requests-full" -> new LeastRequestsBalancer(new LeastRequestsConfig(100_000, null));
            case "p2c" -> new P2cBalancer(new P2cConfig(null, null));
            case "p2c-peak-ewma" -> new P2cBalancer(new P2cConfig(true, null));
            case "ring-hash" -> new RingHashBalancer(new RingHashConfig("source-ip", null, null));
            case "maglev" -> new MaglevBalancer(new MaglevConfig("source-ip", null));
            default -> throw new IllegalArgumentException("unknown balancer " + type);
        };
    }

    @Benchmark
    public Endpoint pick(Cursor cursor) {
        return subject.pick(candidates, contexts[cursor.next++ & (CONTEXTS - 1)]);
    }

    @Benchmark
    @Threads(2)
    public Endpoint pickTwoThreads(Cursor cursor) {
        return subject.pick(candidates, contexts[cursor.next++ & (CONTEXTS - 1)]);
    }
}
