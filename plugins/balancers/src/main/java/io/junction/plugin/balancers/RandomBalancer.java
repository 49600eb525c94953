package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Weighted random: each candidate with a chance proportional to its weight now. Stateless. */
public final class RandomBalancer implements Balancer {

    private final Supplier<RandomGenerator> random;

    public RandomBalancer() {
        this(WeightedRandom.THREAD_LOCAL);
    }

    RandomBalancer(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public Endpoint pick(List<Endpoint> candidates, PickContext context) {
        return WeightedRandom.pick(candidates, random.get());
    }
}
