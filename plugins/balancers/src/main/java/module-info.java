/**
 * Junction's balancers, each an extension of its own:
 * <ul>
 *   <li>{@code round-robin}: nginx's smooth weighted round-robin (no bursts to the heaviest):
 *       a precomputed cycle walked without a lock, or a short locked pass over the weights;</li>
 *   <li>{@code random}: weighted random;</li>
 *   <li>{@code least-connections} and {@code least-requests}: fewest open connections or
 *       requests in flight per unit of weight, ties in turn; {@code least-requests} samples
 *       {@code choiceCount} candidates above {@code fullScanUpTo};</li>
 *   <li>{@code p2c}: power of two choices on requests in flight per unit of weight, optionally
 *       weighed by peak-EWMA latency ({@code peakEwma}, {@code defaultLatency});</li>
 *   <li>{@code ring-hash} and {@code maglev}: consistent hashing of {@code hashOn} (the client
 *       address, a header, a cookie, the path or SNI), with tables cached until the set of
 *       endpoints or a weight changes (a missing endpoint's keys go to their next owner).</li>
 * </ul>
 * All are thread-safe and never block. What a balancer derives from a candidate list (a
 * schedule, running sums, a hash table) is reused while the runtime passes the very same
 * immutable list, whose endpoints' weights never change; any other list is read on every pick.
 */
module io.junction.plugin.balancers {
    requires io.junction.api;

    provides io.junction.api.upstream.BalancerExtension with
            io.junction.plugin.balancers.RoundRobinExtension,
            io.junction.plugin.balancers.RandomExtension,
            io.junction.plugin.balancers.LeastConnectionsExtension,
            io.junction.plugin.balancers.LeastRequestsExtension,
            io.junction.plugin.balancers.P2cExtension,
            io.junction.plugin.balancers.RingHashExtension,
            io.junction.plugin.balancers.MaglevExtension;
}
