package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

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
}
