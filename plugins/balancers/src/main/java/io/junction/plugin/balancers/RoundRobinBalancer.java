package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Round-robin: nginx's smooth weighted round-robin, which interleaves endpoints (weights 5,1,1
 * give a a b a c a a rather than a a a a a b c); with equal weights, plain rotation.
 *
 * <p>Three paths. The same immutable candidate list as last time (the runtime's list while every
 * endpoint is available; see {@link ImmutableLists}) walks a precomputed {@link SmoothSchedule}
 * with a counter: lock-free and O(1). Other lists with equal weights are a lock-free rotation.
 * Other lists with different weights take the locked path, which reads the weights on every
 * pick, so a changed weight applies at once (as do immutable lists whose cycle is too
 * long to precompute). Its smooth state (one running "current weight" per endpoint) is kept in
 * arrays over the endpoints seen so far and guarded by a lock held for two passes over them. As in nginx, an endpoint that is not a
 * candidate for a while (failing its health check, excluded for a retry, turned down by slow
 * start) keeps its current weight until it is back; an endpoint that joins starts at zero and
 * the others keep theirs, so the rotation goes on without a burst. Endpoints that left are
 * forgotten when one joins.
 */
public final class RoundRobinBalancer implements Balancer {

    private final AtomicLong turn = new AtomicLong();
    private volatile SmoothSchedule schedule;
    private final Object lock = new Object();
    // the endpoints seen in the last candidate lists, in order, and their current weights
    private Endpoint[] known = new Endpoint[0]; // guarded by lock
    private long[] current = new long[0]; // guarded by lock

    @Override
    public Endpoint pick(List<Endpoint> candidates, PickContext context) {
        int n = candidates.size();
        if (n == 1) {
            return candidates.get(0);
        }
        SmoothSchedule schedule = this.schedule;
        if (schedule == null || schedule.candidates != candidates) {
            schedule = ImmutableLists.isImmutable(candidates) ? SmoothSchedule.of(candidates) : null;
            if (schedule != null) {
                this.schedule = schedule; // concurrent builds of the same list are equal
            }
        }
        if (schedule != null && schedule.walkable()) {
            return schedule.at(turn.getAndIncrement());
        }
        if (equalWeights(candidates)) {
            // smooth round-robin over equal weights is exactly this rotation
            return candidates.get((int) Long.remainderUnsigned(turn.getAndIncrement(), n));
        }
        synchronized (lock) {
            return smooth(candidates);
        }
    }

    private Endpoint smooth(List<Endpoint> candidates) {
        if (!alignedWith(candidates)) {
            realign(candidates);
        }
        Endpoint[] known = this.known;
        long[] current = this.current;
        long total = 0;
        int best = -1;
        long bestCurrent = Long.MIN_VALUE;
        for (int i = 0, j = 0; i < known.length; i++) {
            if (j == candidates.size() || known[i] != candidates.get(j)) {
                continue; // not a candidate now: its current weight waits, as in nginx
            }
            int weight = candidates.get(j++).weight();
            long c = current[i] + weight;
            current[i] = c;
            total += weight;
            if (c > bestCurrent) {
                bestCurrent = c;
                best = i;
            }
        }
        current[best] = bestCurrent - total;
        return known[best];
    }

    /** Whether the candidates are the known endpoints, or some of them in the same order. */
    private boolean alignedWith(List<Endpoint> candidates) {
        Endpoint[] known = this.known;
        int m = candidates.size();
        if (m > known.length) {
            return false;
        }
        int j = 0;
        for (int i = 0; i < known.length && j < m; i++) {
            if (known[i] == candidates.get(j)) {
                j++;
            }
        }
        return j == m;
    }

    /** Makes the candidates the known endpoints; those known before keep their current weight. */
    private void realign(List<Endpoint> candidates) {
        Map<Endpoint, Long> kept = new IdentityHashMap<>(known.length * 2);
        for (int i = 0; i < known.length; i++) {
            kept.put(known[i], current[i]);
        }
        Endpoint[] next = candidates.toArray(new Endpoint[0]);
        long[] nextCurrent = new long[next.length];
        for (int i = 0; i < next.length; i++) {
            nextCurrent[i] = kept.getOrDefault(next[i], 0L);
        }
        known = next;
        current = nextCurrent;
    }

    private static boolean equalWeights(List<Endpoint> candidates) {
        int weight = candidates.get(0).weight();
        for (int i = 1; i < candidates.size(); i++) {
            if (candidates.get(i).weight() != weight) {
                return false;
            }
        }
        return true;
    }
}
