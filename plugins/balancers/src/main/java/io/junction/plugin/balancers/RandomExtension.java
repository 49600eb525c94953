package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** {@code "random"}: a random endpoint, in proportion to the weights. */
public final class RandomExtension implements BalancerExtension<NoConfig> {

    @Override
    public String type() {
        return "random";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Class<? extends Balancer> implementation() {
        return RandomBalancer.class;
    }

    @Override
    public String description() {
        return "A random healthy endpoint, weighted.";
    }

    /** Weighted random choice. */
    public static final class RandomBalancer implements Balancer {
        @Override
        public Endpoint pick(List<Endpoint> candidates, PickContext context) {
            int total = 0;
            for (Endpoint e : candidates) {
                total += e.weight();
            }
            int ticket = ThreadLocalRandom.current().nextInt(total);
            for (Endpoint e : candidates) {
                ticket -= e.weight();
                if (ticket < 0) {
                    return e;
                }
            }
            return candidates.get(candidates.size() - 1);
        }
    }
}
