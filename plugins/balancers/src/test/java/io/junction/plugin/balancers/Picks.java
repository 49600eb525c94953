package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/** Helpers for balancer tests: repeated picks, counts, shares, and seeded random numbers. */
final class Picks {

    static final PickContext NO_KEY = PickContext.forClient(null);

    private Picks() {
    }

    /** The same seeded generator on every call, so a single-threaded test is deterministic. */
    static Supplier<RandomGenerator> seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return () -> random;
    }

    static List<Endpoint> picks(Balancer balancer, List<? extends Endpoint> candidates, int n) {
        List<Endpoint> list = List.copyOf(candidates);
        List<Endpoint> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Endpoint picked = balancer.pick(list, NO_KEY);
            assertThat(list).contains(picked);
            result.add(picked);
        }
        return result;
    }

    /**
     * Picks with requests that never finish: each pick adds one request in flight to the chosen
     * endpoint, so load-based balancers see their own picks.
     */
    static List<Endpoint> picksKeepingRequestsOpen(Balancer balancer, List<TestEndpoint> candidates, int n) {
        List<Endpoint> list = List.copyOf(candidates);
        List<Endpoint> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Endpoint picked = balancer.pick(list, NO_KEY);
            ((TestEndpoint) picked).startOne();
            result.add(picked);
        }
        return result;
    }

    static Map<Endpoint, Long> counts(List<Endpoint> sequence) {
        return sequence.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    static double share(List<Endpoint> sequence, Endpoint endpoint) {
        return counts(sequence).getOrDefault(endpoint, 0L) / (double) sequence.size();
    }

    /** Asserts that the shares of {@code sequence} are {@code weights / sum} each, within {@code tolerance}. */
    static void assertSharesFollowWeights(List<Endpoint> sequence, List<? extends Endpoint> endpoints, double tolerance) {
        double total = endpoints.stream().mapToInt(Endpoint::weight).sum();
        for (Endpoint e : endpoints) {
            assertThat(share(sequence, e)).as("share of %s (weight %d of %.0f)", e, e.weight(), total)
                    .isCloseTo(e.weight() / total, org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    /** Endpoints e0, e1, ... of weight 1. */
    static List<TestEndpoint> endpoints(int n) {
        List<TestEndpoint> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(TestEndpoint.of("10.0.0." + i + ":8080", 1));
        }
        return list;
    }

    /** The three endpoints a, b, c of weights 1, 2 and 5. */
    static List<TestEndpoint> weighted125() {
        return List.of(TestEndpoint.of("a", 1), TestEndpoint.of("b", 2), TestEndpoint.of("c", 5));
    }
}
