package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Consistent hashing on a {@link RingHashTable ring}: the same key reaches the same endpoint while it is a candidate. */
public final class RingHashBalancer extends HashingBalancer {

    private final int virtualNodes;
    private final int maxRingSize;

    @Inject
    public RingHashBalancer(RingHashConfig config) {
        this(config, WeightedRandom.THREAD_LOCAL);
    }

    RingHashBalancer(RingHashConfig config, Supplier<RandomGenerator> random) {
        super(HashOn.parse("hashOn", config.hashOn()), random);
        this.virtualNodes = config.virtualNodes();
        this.maxRingSize = config.maxRingSize();
    }

    @Override
    KeyTable build(Endpoint[] endpoints, int[] weights) {
        return RingHashTable.build(endpoints, weights, virtualNodes, maxRingSize);
    }
}
