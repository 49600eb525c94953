package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Weighted random choice, shared by {@code random} and the hashing balancers' keyless picks. */
final class WeightedRandom {

    /** The random numbers of a running balancer; tests pass a seeded generator instead. */
    static final Supplier<RandomGenerator> THREAD_LOCAL = ThreadLocalRandom::current;

    private WeightedRandom() {
    }

    /** One of {@code candidates}, each with a chance proportional to its {@link Endpoint#weight() weight()} now. */
    static Endpoint pick(List<Endpoint> candidates, RandomGenerator random) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        int first = candidates.get(0).weight();
        long total = first;
        boolean equal = true;
        for (int i = 1; i < n; i++) {
            int w = candidates.get(i).weight();
            total += w;
            equal &= w == first;
        }
        if (equal) {
            return candidates.get(random.nextInt(n));
        }
        long ticket = random.nextLong(total);
        for (int i = 0; i < n; i++) {
            ticket -= candidates.get(i).weight();
            if (ticket < 0) {
                return candidates.get(i);
            }
        }
        return candidates.get(n - 1); // a weight dropped between the two passes
    }
}
