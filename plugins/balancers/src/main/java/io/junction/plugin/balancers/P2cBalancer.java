package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Power of two choices: two distinct candidates drawn uniformly at random, and the one with the
 * lower load (requests in flight + 1) / weight wins; with {@code peakEwma} the load is also
 * multiplied by the endpoint's peak-EWMA latency, as Finagle and Linkerd do. Weights act through
 * the load, not the draw, so shares follow the weights once requests are in flight.
 *
 * <p>An endpoint with no latency yet (0) takes {@code defaultLatency} when configured, and
 * otherwise the latency of the endpoint it is compared with: neutral, so a newcomer is neither
 * flooded nor starved. Stateless apart from the random numbers; O(1) per pick.
 */
public final class P2cBalancer implements Balancer {

    private final boolean peakEwma;
    private final long defaultLatencyNanos;
    private final Supplier<RandomGenerator> random;

    @Inject
    public P2cBalancer(P2cConfig config) {
        this(config, WeightedRandom.THREAD_LOCAL);
    }

    P2cBalancer(P2cConfig config, Supplier<RandomGenerator> random) {
        this.peakEwma = config.peakEwma();
        this.defaultLatencyNanos = config.defaultLatency() == null ? 0 : config.defaultLatency().toNanos();
        this.random = random;
    }

    @Override
    public Endpoint pick(List<Endpoint> candidates, PickContext context) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        RandomGenerator r = random.get();
        int i = r.nextInt(n);
        int j = r.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Endpoint a = candidates.get(i);
        Endpoint b = candidates.get(j);
        // (requestsA + 1) / weightA < (requestsB + 1) / weightB, multiplied out
        double costA = (a.activeRequests() + 1.0) * b.weight();
        double costB = (b.activeRequests() + 1.0) * a.weight();
        if (peakEwma) {
            long latencyA = a.latencyEwmaNanos();
            long latencyB = b.latencyEwmaNanos();
            if (latencyA > 0 || latencyB > 0 || defaultLatencyNanos > 0) {
                costA *= latencyA > 0 ? latencyA : defaultLatencyNanos > 0 ? defaultLatencyNanos : latencyB;
                costB *= latencyB > 0 ? latencyB : defaultLatencyNanos > 0 ? defaultLatencyNanos : latencyA;
            }
        }
        return costA <= costB ? a : b;
    }
}
