package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import java.util.Arrays;

/**
 * Google's Maglev lookup table (Eisenbud et al., NSDI 2016), weighted as in Envoy: every endpoint
 * has its own permutation of the table's slots (an offset and a skip from two hashes of its id),
 * and endpoints take turns claiming their next free slot, an endpoint of weight w taking w turns
 * for every turn of the heaviest. A key belongs to the owner of slot {@code hash mod size}.
 * Lookups cost one array read; shares are even to within a slot per turn; when an endpoint
 * leaves, the keys it had move and only a few others do (the paper's "minimal disruption" is not
 * exact, unlike a ring's).
 */
final class MaglevTable implements KeyTable {

    private static final long OFFSET_SEED = 0x6d61676c65762d6fL;
    private static final long SKIP_SEED = 0x6d61676c65762d73L;

    private final int[] slots;

    private MaglevTable(int[] slots) {
        this.slots = slots;
    }

    /** A table of {@code size} slots ({@code size} prime); with more endpoints than slots, the last get none. */
    static MaglevTable build(Endpoint[] endpoints, int[] weights, int size) {
        int n = endpoints.length;
        long[] position = new long[n];
        long[] skip = new long[n];
        long[] target = new long[n];
        int heaviest = 1;
        for (int i = 0; i < n; i++) {
            String id = endpoints[i].id();
            position[i] = Long.remainderUnsigned(Hashing.hash(id, OFFSET_SEED), size);
            skip[i] = Long.remainderUnsigned(Hashing.hash(id, SKIP_SEED), size - 1) + 1;
            heaviest = Math.max(heaviest, weights[i]);
        }
        int[] slots = new int[size];
        Arrays.fill(slots, -1);
        int filled = 0;
        for (long turn = 1; filled < size; turn++) {
            for (int i = 0; i < n && filled < size; i++) {
                if (turn * weights[i] < target[i]) {
                    continue; // lighter endpoints skip turns
                }
                target[i] += heaviest;
                int slot = (int) position[i];
                while (slots[slot] >= 0) {
                    slot = next(slot, skip[i], size);
                }
                slots[slot] = i;
                position[i] = next(slot, skip[i], size);
                filled++;
            }
        }
        return new MaglevTable(slots);
    }

    private static int next(int slot, long skip, int size) {
        long next = slot + skip;
        return (int) (next >= size ? next - size : next);
    }

    int size() {
        return slots.length;
    }

    @Override
    public int lookup(long hash) {
        return slots[(int) Long.remainderUnsigned(hash, slots.length)];
    }

    /**
     * Rehashes until an allowed owner turns up (Envoy does the same on retries): the owners of
     * neighbouring slots are not independent enough to spread a missing endpoint's keys by share.
     * After 64 misses (less likely than 2^-64 while at least half are allowed) it walks the table.
     */
    @Override
    public int lookup(long hash, long[] allowed) {
        int slot = (int) Long.remainderUnsigned(hash, slots.length);
        for (int attempt = 1; attempt <= 64; attempt++) {
            int owner = slots[slot];
            if (KeyTable.isSet(allowed, owner)) {
                return owner;
            }
            slot = (int) Long.remainderUnsigned(Hashing.hash(hash, attempt), slots.length);
        }
        for (int step = 0; step < slots.length; step++) {
            int owner = slots[slot];
            if (KeyTable.isSet(allowed, owner)) {
                return owner;
            }
            slot = slot + 1 == slots.length ? 0 : slot + 1;
        }
        return -1;
    }

    /** How many slots endpoint {@code index} owns, for tests. */
    int slotsOf(int index) {
        int count = 0;
        for (int owner : slots) {
            count += owner == index ? 1 : 0;
        }
        return count;
    }
}
