package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round-robin. With equal weights it is a lock-free counter; with different weights it is the
 * smooth weighted round-robin of nginx, which interleaves endpoints (weights 5,1,1 give
 * a a b a c a a rather than a a a a a b c).
 */
public final class RoundRobinBalancer implements Balancer {

    private final AtomicInteger next = new AtomicInteger();
    private final Map<Endpoint, Integer> current = new HashMap<>();

    @Override
    public Endpoint pick(List<Endpoint> candidates, PickContext context) {
        if (sameWeights(candidates)) {
            return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
        }
        synchronized (current) {
            int total = 0;
            Endpoint best = null;
            int bestWeight = Integer.MIN_VALUE;
            for (Endpoint e : candidates) {
                int w = current.getOrDefault(e, 0) + e.weight();
                current.put(e, w);
                total += e.weight();
                if (w > bestWeight) {
                    bestWeight = w;
                    best = e;
                }
            }
            current.put(best, bestWeight - total);
            return best;
        }
    }

    private static boolean sameWeights(List<Endpoint> candidates) {
        int weight = candidates.get(0).weight();
        for (int i = 1; i < candidates.size(); i++) {
            if (candidates.get(i).weight() != weight) {
                return false;
            }
        }
        return true;
    }
}
