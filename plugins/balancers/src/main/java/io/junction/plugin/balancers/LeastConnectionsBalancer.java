package io.junction.plugin.balancers;

import io.junction.api.upstream.Endpoint;

/** Weighted least connections over every candidate; ties are shared in turn, evenly. */
public final class LeastConnectionsBalancer extends LeastLoadedBalancer {

    public LeastConnectionsBalancer() {
        super(Integer.MAX_VALUE, 2, WeightedRandom.THREAD_LOCAL);
    }

    @Override
    int load(Endpoint endpoint) {
        return endpoint.activeConnections();
    }
}
