package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

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
}
