package io.junction.api.protocol;

import io.junction.api.upstream.Upstream;
import java.util.Optional;

/**
 * One entry of a pipeline's {@code "routes"}: an optional match, bound to the protocol's
 * {@link ProtocolHandlerExtension#routeMatchType()}, and the upstream it sends to.
 */
public interface Route {

    /**
     * The route's name for metrics and logs: its {@code "name"} in the config, else its position,
     * {@code "routes[2]"}. Since API 1.1.
     */
    default String name() {
        return "route";
    }

    /** The route's match object, or empty for a route that matches everything. */
    Optional<Object> match();

    /** The match cast to the protocol's match type. */
    default <M> Optional<M> match(Class<M> type) {
        return match().map(type::cast);
    }

    /**
     * The upstream the route sends to; null only for a route whose action answers by itself (a
     * protocol with a {@link ProtocolHandlerExtension#routeActionType()} decides which actions do).
     */
    Upstream upstream();

    /** The route's action object, or empty when it has none. Since API 1.1. */
    default Optional<Object> action() {
        return Optional.empty();
    }

    /** The action cast to the protocol's action type. Since API 1.1. */
    default <A> Optional<A> action(Class<A> type) {
        return action().map(type::cast);
    }
}
