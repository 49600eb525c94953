package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

/** {@code "round-robin"}: each endpoint in turn, in proportion to its weight, without bursts. */
public final class RoundRobinExtension implements BalancerExtension<NoConfig> {

    @Override
    public String type() {
        return "round-robin";
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public Class<? extends Balancer> implementation() {
        return RoundRobinBalancer.class;
    }

    @Override
    public String description() {
        return "Each healthy endpoint in turn; weights spread smoothly (nginx's smooth weighted round-robin).";
    }
}
