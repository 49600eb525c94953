package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Consistent hashing with a {@link MaglevTable Maglev table}: one array read per pick. */
public final class MaglevBalancer extends HashingBalancer {

    private final int tableSize;

    @Inject
    public MaglevBalancer(MaglevConfig config) {
        this(config, WeightedRandom.THREAD_LOCAL);
    }

    MaglevBalancer(MaglevConfig config, Supplier<RandomGenerator> random) {
        super(HashOn.parse("hashOn", config.hashOn()), random);
        this.tableSize = config.tableSize();
    }

    @Override
    KeyTable build(Endpoint[] endpoints, int[] weights) {
        return MaglevTable.build(endpoints, weights, tableSize);
    }
}
