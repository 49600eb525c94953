package io.junction.api.protocol;

import io.junction.api.upstream.Upstream;
import java.util.Optional;

/**
 * One entry of a pipeline's {@code "routes"}: an optional match, bound to the protocol's
 * {@link ProtocolHandlerExtension#routeMatchType()}, and the upstream it sends to.
 */
public interface Route {

    /** The route's match object, or empty for a route that matches everything. */
    Optional<Object> match();

    /** The match cast to the protocol's match type. */
    default <M> Optional<M> match(Class<M> type) {
        return match().map(type::cast);
    }

    /** The upstream the route sends to. */
    Upstream upstream();
}
