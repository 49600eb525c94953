package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Weighted least requests: the fewest {@link Endpoint#activeRequests()} per unit of weight. */
public final class LeastRequestsBalancer extends LeastLoadedBalancer {

    @Inject
    public LeastRequestsBalancer(LeastRequestsConfig config) {
        this(config, WeightedRandom.THREAD_LOCAL);
    }

    LeastRequestsBalancer(LeastRequestsConfig config, Supplier<RandomGenerator> random) {
        super(config.fullScanUpTo(), config.choiceCount(), random);
    }

    @Override
    int load(Endpoint endpoint) {
        return endpoint.activeRequests();
    }
}
