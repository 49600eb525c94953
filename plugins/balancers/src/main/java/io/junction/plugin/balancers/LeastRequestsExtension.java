package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

/** {@code "least-requests"}: the endpoint with the fewest requests in flight per unit of weight. */
public final class LeastRequestsExtension implements BalancerExtension<LeastRequestsConfig> {

    @Override
    public String type() {
        return "least-requests";
    }

    @Override
    public Class<LeastRequestsConfig> configType() {
        return LeastRequestsConfig.class;
    }

    @Override
    public Class<? extends Balancer> implementation() {
        return LeastRequestsBalancer.class;
    }

    @Override
    public String description() {
        return "The endpoint with the fewest requests in flight relative to its weight; ties go round-robin; "
                + "samples a few at random above fullScanUpTo candidates.";
    }
}
