package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;
import java.util.List;

/**
 * One cycle of nginx's smooth weighted round-robin over a fixed, immutable candidate list: the
 * sequence repeats every (sum of weights) picks, so it can be computed once and walked with a
 * counter, without a lock. Only computed while that is cheap: (sum of weights) × (endpoints) up
 * to {@link #MAX_WORK}, e.g. 300 endpoints of weight 1 to 10, or 32 of weight 1000.
 */
final class SmoothSchedule {

    /** Largest (sum of weights) × (endpoints) worth simulating; above it picks take the locked path. */
    static final long MAX_WORK = 1 << 20;

    final List<Endpoint> candidates;
    private final Endpoint[] sequence; // null when too long to compute

    private SmoothSchedule(List<Endpoint> candidates, Endpoint[] sequence) {
        this.candidates = candidates;
        this.sequence = sequence;
    }

    /** The schedule of {@code candidates}; not {@link #walkable} when its cycle would be too long. */
    static SmoothSchedule of(List<Endpoint> candidates) {
        int n = candidates.size();
        int[] weights = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = candidates.get(i).weight();
            total += weights[i];
        }
        if (total * n > MAX_WORK) {
            return new SmoothSchedule(candidates, null);
        }
        Endpoint[] sequence = new Endpoint[(int) total];
        long[] current = new long[n];
        for (int step = 0; step < sequence.length; step++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            sequence[step] = candidates.get(best);
        }
        return new SmoothSchedule(candidates, sequence);
    }

    boolean walkable() {
        return sequence != null;
    }

    Endpoint at(long turn) {
        return sequence[(int) Long.remainderUnsigned(turn, sequence.length)];
    }
}
