package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code "least-connections"}: the endpoint with the fewest open connections per unit of weight. */
public final class LeastConnectionsExtension implements BalancerExtension<NoConfig> {

    @Override
    public String type() {
        return "least-connections";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Class<? extends Balancer> implementation() {
        return LeastConnectionsBalancer.class;
    }

    @Override
    public String description() {
        return "The endpoint with the fewest open connections relative to its weight; ties go round-robin.";
    }

    /** Weighted least connections; ties are broken by rotating the starting point. */
    public static final class LeastConnectionsBalancer implements Balancer {
        private final AtomicInteger rotation = new AtomicInteger();

        @Override
        public Endpoint pick(List<Endpoint> candidates, PickContext context) {
            int n = candidates.size();
            int start = Math.floorMod(rotation.getAndIncrement(), n);
            Endpoint best = null;
            double bestLoad = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                Endpoint e = candidates.get((start + i) % n);
                double load = (double) e.activeConnections() / e.weight();
                if (load < bestLoad) {
                    bestLoad = load;
                    best = e;
                }
            }
            return best;
        }
    }
}
