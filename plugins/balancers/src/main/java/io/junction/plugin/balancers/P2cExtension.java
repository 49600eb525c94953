package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

/** {@code "p2c"}: the less loaded of two random endpoints, optionally weighing latency (peak EWMA). */
public final class P2cExtension implements BalancerExtension<P2cConfig> {

    @Override
    public String type() {
        return "p2c";
    }

    @Override
    public Class<P2cConfig> configType() {
        return P2cConfig.class;
    }

    @Override
    public Class<? extends Balancer> implementation() {
        return P2cBalancer.class;
    }

    @Override
    public String description() {
        return "Power of two choices: the endpoint with fewer requests in flight per unit of weight of two drawn at "
                + "random; with peakEwma, weighed by response latency.";
    }
}
