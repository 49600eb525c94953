package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import java.util.Arrays;

/**
 * A hash ring (Karger et al., as in Ketama and Envoy's ring_hash): each endpoint has
 * {@code virtualNodes} points per unit of configured weight, placed by hashing its id, and a key
 * belongs to the first point at or after its hash, wrapping around. A point's place depends only
 * on the endpoint's id and the point's number, so removing an endpoint moves exactly the keys it
 * had, and adding one moves only the keys it takes.
 *
 * <p>Each ring entry is one {@code long}: the point's upper 40 bits and the owner's index in the
 * lower 24, with the sign bit flipped so that signed order is the points' unsigned order; one
 * sorted array, searched by bisection.
 */
final class RingHashTable implements KeyTable {

    static final int OWNER_BITS = 24;
    static final int MAX_ENDPOINTS = 1 << OWNER_BITS;
    private static final long OWNER_MASK = (1L << OWNER_BITS) - 1;
    private static final long SEED = 0x72696e672d686173L; // "ring-has"

    private final long[] entries;

    private RingHashTable(long[] entries) {
        this.entries = entries;
    }

    /**
     * A ring of {@code virtualNodes} points per unit of weight; when that would exceed
     * {@code maxRingSize} points, fewer per unit (at least one per endpoint).
     */
    static RingHashTable build(Endpoint[] endpoints, int[] weights, int virtualNodes, int maxRingSize) {
        if (endpoints.length > MAX_ENDPOINTS) {
            throw new IllegalArgumentException("ring-hash: at most " + MAX_ENDPOINTS + " endpoints, got " + endpoints.length);
        }
        long totalWeight = 0;
        for (int w : weights) {
            totalWeight += w;
        }
        double scale = Math.min(virtualNodes, (double) maxRingSize / totalWeight);
        int[] points = new int[endpoints.length];
        long size = 0;
        for (int i = 0; i < endpoints.length; i++) {
            points[i] = (int) Math.max(1, Math.round(weights[i] * scale));
            size += points[i];
        }
        long[] entries = new long[(int) size];
        int next = 0;
        for (int i = 0; i < endpoints.length; i++) {
            long base = Hashing.hash(endpoints[i].id(), SEED);
            for (int k = 0; k < points[i]; k++) {
                entries[next++] = entry(Hashing.sequence(base, k), i);
            }
        }
        Arrays.sort(entries);
        return new RingHashTable(entries);
    }

    private static long entry(long point, int owner) {
        return ((point & ~OWNER_MASK) | owner) ^ Long.MIN_VALUE;
    }

    int size() {
        return entries.length;
    }

    @Override
    public int lookup(long hash) {
        return owner(place(hash));
    }

    @Override
    public int lookup(long hash, long[] allowed) {
        int at = place(hash);
        for (int step = 0; step < entries.length; step++) {
            int owner = owner(at);
            if (KeyTable.isSet(allowed, owner)) {
                return owner;
            }
            at = at + 1 == entries.length ? 0 : at + 1;
        }
        return -1;
    }

    /** The index of the first entry at or after {@code hash}, wrapping around. */
    private int place(long hash) {
        int found = Arrays.binarySearch(entries, entry(hash, 0));
        int at = found >= 0 ? found : -found - 1;
        return at == entries.length ? 0 : at;
    }

    private int owner(int at) {
        return (int) (entries[at] & OWNER_MASK);
    }
}
