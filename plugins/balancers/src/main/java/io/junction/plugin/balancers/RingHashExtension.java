package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

/** {@code "ring-hash"}: consistent hashing of a request key on a ring with virtual nodes. */
public final class RingHashExtension implements BalancerExtension<RingHashConfig> {

    @Override
    public String type() {
        return "ring-hash";
    }

    @Override
    public Class<RingHashConfig> configType() {
        return RingHashConfig.class;
    }

    @Override
    public Class<? extends Balancer> implementation() {
        return RingHashBalancer.class;
    }

    @Override
    public String description() {
        return "Consistent hashing (ring with virtual nodes) of the client address, a header, a cookie, the path or SNI; "
                + "removing an endpoint moves only its keys.";
    }
}
