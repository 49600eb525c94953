package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A consistent-hashing balancer: the key from {@code hashOn} looked up in a table built from the
 * candidates and their weights. The table is an immutable snapshot in a volatile field, rebuilt
 * only when the set of endpoints changes (see {@link TableSnapshot}); concurrent rebuilds of the
 * same change are harmless. A context without a key gets a weighted random candidate.
 */
abstract class HashingBalancer implements Balancer {

    private final HashOn hashOn;
    private final Supplier<RandomGenerator> random;
    private volatile TableSnapshot snapshot = TableSnapshot.EMPTY;

    HashingBalancer(HashOn hashOn, Supplier<RandomGenerator> random) {
        this.hashOn = hashOn;
        this.random = random;
    }

    /** A table for {@code endpoints}, the i-th weighing {@code weights[i]}. */
    abstract KeyTable build(Endpoint[] endpoints, int[] weights);

    @Override
    public Endpoint pick(List<Endpoint> candidates, PickContext context) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        long hash = hashOn.hash(context);
        if (hash == HashOn.ABSENT) {
            return WeightedRandom.pick(candidates, random.get());
        }
        TableSnapshot s = snapshot;
        if (s.trusts(candidates)) {
            return s.endpoints[s.table.lookup(hash)];
        }
        long[] allowed = s.coverage(candidates);
        if (allowed == null) {
            Endpoint[] endpoints = candidates.toArray(new Endpoint[0]);
            int[] weights = TableSnapshot.weightsOf(endpoints);
            s = TableSnapshot.of(candidates, endpoints, weights, build(endpoints, weights));
            snapshot = s;
            return s.endpoints[s.table.lookup(hash)];
        }
        if (allowed == TableSnapshot.ALL) {
            TableSnapshot verified = s.verifiedFor(candidates);
            if (verified != s) {
                snapshot = verified;
            }
            return s.endpoints[s.table.lookup(hash)];
        }
        int index = s.table.lookup(hash, allowed);
        return index < 0 ? WeightedRandom.pick(candidates, random.get()) : s.endpoints[index];
    }

    /** The table serving picks now, for tests. */
    final TableSnapshot snapshot() {
        return snapshot;
    }
}
