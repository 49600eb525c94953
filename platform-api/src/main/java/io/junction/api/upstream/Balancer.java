package io.junction.api.upstream;

import java.util.List;

/**
 * Chooses one endpoint of an upstream. One instance per upstream, called concurrently from
 * every event loop: it must be thread-safe, cheap and non-blocking.
 */
public interface Balancer {

    /**
     * Picks one of {@code candidates}.
     *
     * @param candidates the healthy, non-excluded endpoints, in config order; never empty
     * @param context    what is known of the connection or request being balanced
     * @return one element of {@code candidates}
     */
    Endpoint pick(List<Endpoint> candidates, PickContext context);
}
