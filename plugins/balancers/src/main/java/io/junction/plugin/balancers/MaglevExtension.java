package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

/** {@code "maglev"}: consistent hashing of a request key with Google's Maglev lookup table. */
public final class MaglevExtension implements BalancerExtension<MaglevConfig> {

    @Override
    public String type() {
        return "maglev";
    }

    @Override
    public Class<MaglevConfig> configType() {
        return MaglevConfig.class;
    }

    @Override
    public Class<? extends Balancer> implementation() {
        return MaglevBalancer.class;
    }

    @Override
    public String description() {
        return "Consistent hashing (Maglev lookup table) of the client address, a header, a cookie, the path or SNI; "
                + "constant-time picks.";
    }
}
