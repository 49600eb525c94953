package io.junction.api.protocol;

import io.junction.api.Extension;
import io.junction.api.filter.Filter;

/**
 * A protocol handler a pipeline can name in {@code "protocol": {"type": ...}}.
 * Provide it with {@code provides io.junction.api.protocol.ProtocolHandlerExtension with ...}.
 *
 * @param <C> the protocol's config record
 */
public interface ProtocolHandlerExtension<C> extends Extension<C, ProtocolHandler> {

    /**
     * Whether pipelines of this protocol send to upstreams and so need {@code "upstream"} or
     * {@code "routes"}; {@code false} for a protocol that answers by itself (such as {@code respond}),
     * whose pipelines may not have routes.
     */
    default boolean usesUpstreams() {
        return true;
    }

    /**
     * The record each route's {@code "match"} object binds to, or {@code null} when this protocol
     * does not look inside connections (then routes may not have a {@code match}, and a pipeline
     * has a single upstream).
     */
    default Class<?> routeMatchType() {
        return null;
    }

    /**
     * The record each route's {@code "action"} object binds to — what a route does besides choosing an
     * upstream (an HTTP route rewrites paths, edits headers, or answers by itself) — or {@code null}
     * when routes of this protocol take no action. A route with an action may omit its upstream; the
     * protocol handler then refuses, at construction, actions that need one. Since API 1.1.
     */
    default Class<?> routeActionType() {
        return null;
    }

    /**
     * The filter contract, beyond {@link io.junction.api.filter.ConnectionFilter} (which the runtime
     * runs for every protocol), that this protocol runs per exchange — for example an HTTP request
     * filter contract. {@code null} when it runs only connection filters; a pipeline naming another
     * kind of filter is then refused at config load.
     */
    default Class<? extends Filter> exchangeFilterContract() {
        return null;
    }
}
