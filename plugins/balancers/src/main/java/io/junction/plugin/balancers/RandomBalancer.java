package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Weighted random: each candidate with a chance proportional to its weight. The running sums of
 * the weights of the last immutable candidate list are kept (see {@link ImmutableLists}); other
 * lists are read afresh.
 */
public final class RandomBalancer implements Balancer {

    private final Supplier<RandomGenerator> random;
    private volatile CumulativeWeights cached;

    public RandomBalancer() {
        this(WeightedRandom.THREAD_LOCAL);
    }

    RandomBalancer(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public Endpoint pick(List<Endpoint> candidates, PickContext context) {
        CumulativeWeights weights = cached;
        if (weights == null || weights.candidates != candidates) {
            if (candidates.size() == 1 || !ImmutableLists.isImmutable(candidates)) {
                return WeightedRandom.pick(candidates, random.get());
            }
            weights = new CumulativeWeights(candidates);
            cached = weights;
        }
        return weights.pick(random.get());
    }
}
