package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key table with the endpoints and weights it was built from, and the test of whether it still
 * serves a candidate list. It does when the candidates are its endpoints, or at least half of
 * them (the others unhealthy, ejected, excluded for a retry, turned down by slow start, or gone):
 * keys of the missing endpoints then go to their next owner, as if they had never been there,
 * and keys of the others stay. So no table is rebuilt on every retry or health flap. An endpoint
 * it does not know or a changed weight needs a new table, as does losing more than half of them
 * (to keep lookups short). Immutable, apart from an index by identity built on first need.
 */
final class TableSnapshot {

    /** {@link #coverage} of candidates that are exactly the snapshot's endpoints. */
    static final long[] ALL = new long[0];

    static final TableSnapshot EMPTY = new TableSnapshot(new Endpoint[0], new int[0], null, null);

    final Endpoint[] endpoints;
    final KeyTable table;
    private final int[] weights;
    private final List<Endpoint> verified; // an immutable list of exactly the endpoints, or null
    private volatile Map<Endpoint, Integer> indexes; // built when candidates come in another order

    private TableSnapshot(Endpoint[] endpoints, int[] weights, KeyTable table, List<Endpoint> verified) {
        this.endpoints = endpoints;
        this.weights = weights;
        this.table = table;
        this.verified = verified;
    }

    /** A snapshot of a new table built from {@code candidates}. */
    static TableSnapshot of(List<Endpoint> candidates, Endpoint[] endpoints, int[] weights, KeyTable table) {
        return new TableSnapshot(endpoints, weights, table, ImmutableLists.isImmutable(candidates) ? candidates : null);
    }

    /**
     * This snapshot, remembering {@code candidates} (found to be exactly its endpoints) when the
     * list is immutable, so the next pick with the same list skips the comparison; else this.
     */
    TableSnapshot verifiedFor(List<Endpoint> candidates) {
        return ImmutableLists.isImmutable(candidates) ? new TableSnapshot(endpoints, weights, table, candidates) : this;
    }

    /**
     * Whether {@code candidates} is the immutable list this snapshot was checked against, so the
     * O(n) comparison can be skipped (see {@link ImmutableLists}): it was most of a pick's cost
     * at 300 endpoints.
     */
    boolean trusts(List<Endpoint> candidates) {
        return candidates == verified;
    }

    static int[] weightsOf(Endpoint[] endpoints) {
        int[] weights = new int[endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            weights[i] = endpoints[i].weight();
        }
        return weights;
    }

    /**
     * {@link #ALL} when {@code candidates} are this snapshot's endpoints; the bit set of which of
     * its endpoints are candidates when only some are; null when it cannot serve them.
     */
    long[] coverage(List<Endpoint> candidates) {
        int m = candidates.size();
        if (m > endpoints.length || m * 2 < endpoints.length) {
            return null;
        }
        if (m == endpoints.length && sameInOrder(candidates)) {
            return ALL;
        }
        long[] allowed = new long[(endpoints.length + 63) >>> 6];
        if (!markInOrder(candidates, allowed) && !markByIdentity(candidates, allowed)) {
            return null;
        }
        return m == endpoints.length ? ALL : allowed;
    }

    private boolean sameInOrder(List<Endpoint> candidates) {
        for (int i = 0; i < endpoints.length; i++) {
            Endpoint e = candidates.get(i);
            if (e != endpoints[i] || e.weight() != weights[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean markInOrder(List<Endpoint> candidates, long[] allowed) {
        int j = 0;
        for (int i = 0; i < endpoints.length && j < candidates.size(); i++) {
            Endpoint e = candidates.get(j);
            if (e == endpoints[i]) {
                if (e.weight() != weights[i]) {
                    return false;
                }
                allowed[i >>> 6] |= 1L << i;
                j++;
            }
        }
        return j == candidates.size();
    }

    private boolean markByIdentity(List<Endpoint> candidates, long[] allowed) {
        Arrays.fill(allowed, 0);
        Map<Endpoint, Integer> indexes = this.indexes;
        if (indexes == null) {
            indexes = new IdentityHashMap<>(endpoints.length * 2);
            for (int i = 0; i < endpoints.length; i++) {
                indexes.put(endpoints[i], i);
            }
            this.indexes = indexes;
        }
        for (Endpoint e : candidates) {
            Integer i = indexes.get(e);
            if (i == null || e.weight() != weights[i]) {
                return false;
            }
            allowed[i >>> 6] |= 1L << i;
        }
        return true;
    }
}
