package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Picks the candidate with the least {@link #load load} per unit of {@link Endpoint#weight()
 * weight}. Up to {@code fullScanUpTo} candidates, every one is compared and ties are shared in
 * turn; above it, only {@code choiceCount} distinct random candidates are (Envoy's
 * {@code choice_count}), so a pick costs the same at 30 or 3000 endpoints.
 */
abstract class LeastLoadedBalancer implements Balancer {

    private final AtomicInteger rotation = new AtomicInteger();
    private final int fullScanUpTo;
    private final int choiceCount;
    private final Supplier<RandomGenerator> random;

    LeastLoadedBalancer(int fullScanUpTo, int choiceCount, Supplier<RandomGenerator> random) {
        this.fullScanUpTo = fullScanUpTo;
        this.choiceCount = choiceCount;
        this.random = random;
    }

    /** The endpoint's work in flight (connections or requests) now. */
    abstract int load(Endpoint endpoint);

    @Override
    public Endpoint pick(List<Endpoint> candidates, PickContext context) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        return n <= fullScanUpTo || choiceCount >= n ? scan(candidates) : sample(candidates, random.get());
    }

    private Endpoint scan(List<Endpoint> candidates) {
        int n = candidates.size();
        int best = 0;
        long bestLoad = load(candidates.get(0));
        long bestWeight = candidates.get(0).weight();
        int ties = 1;
        for (int i = 1; i < n; i++) {
            Endpoint e = candidates.get(i);
            long load = load(e);
            long weight = e.weight();
            // load / weight against bestLoad / bestWeight, without dividing
            long cmp = load * bestWeight - bestLoad * weight;
            if (cmp < 0) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
                ties = 1;
            } else if (cmp == 0) {
                ties++;
            }
        }
        if (ties == 1) {
            return candidates.get(best);
        }
        int wanted = Math.floorMod(rotation.getAndIncrement(), ties);
        for (int i = best; i < n; i++) {
            Endpoint e = candidates.get(i);
            if (load(e) * bestWeight == bestLoad * e.weight() && wanted-- == 0) {
                return e;
            }
        }
        return candidates.get(best); // loads moved between the two passes
    }

    private Endpoint sample(List<Endpoint> candidates, RandomGenerator random) {
        int n = candidates.size();
        int[] seen = new int[choiceCount];
        Endpoint best = null;
        long bestLoad = 0;
        long bestWeight = 1;
        for (int k = 0; k < choiceCount; k++) {
            int index = distinct(random, n, seen, k);
            seen[k] = index;
            Endpoint e = candidates.get(index);
            long load = load(e);
            long weight = e.weight();
            if (best == null || load * bestWeight < bestLoad * weight) {
                best = e;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        return best;
    }

    /** A random index below {@code n} that is not among the first {@code count} of {@code seen}. */
    private static int distinct(RandomGenerator random, int n, int[] seen, int count) {
        while (true) {
            int index = random.nextInt(n);
            boolean fresh = true;
            for (int k = 0; k < count && fresh; k++) {
                fresh = seen[k] != index;
            }
            if (fresh) {
                return index;
            }
        }
    }
}
