/** Junction's balancers: round-robin (smooth weighted), random and least-connections. */
module io.junction.plugin.balancers {
    requires io.junction.api;

    provides io.junction.api.upstream.BalancerExtension with
            io.junction.plugin.balancers.RoundRobinExtension,
            io.junction.plugin.balancers.RandomExtension,
            io.junction.plugin.balancers.LeastConnectionsExtension;
}
