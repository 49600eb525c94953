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

    /** Weighted least connections; ties are shared in turn, evenly. */
    public static final class LeastConnectionsBalancer implements Balancer {
        private final AtomicInteger rotation = new AtomicInteger();

        @Override
        public Endpoint pick(List<Endpoint> candidates, PickContext context) {
            double least = Double.MAX_VALUE;
            int ties = 0;
            for (Endpoint e : candidates) {
                double load = load(e);
                if (load < least) {
                    least = load;
                    ties = 1;
                } else if (load == least) {
                    ties++;
                }
            }
            int wanted = Math.floorMod(rotation.getAndIncrement(), ties);
            for (Endpoint e : candidates) {
                if (load(e) == least && wanted-- == 0) {
                    return e;
                }
            }
            return candidates.get(0); // counts moved between the two passes
        }

        private static double load(Endpoint e) {
            return (double) e.activeConnections() / e.weight();
        }
    }
}
