package io.junction.runtime.listener;

import io.junction.api.filter.Filter;
import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.Route;
import io.junction.api.upstream.Upstream;
import java.util.List;
import java.util.Optional;

/** The immutable view of a pipeline handed to its protocol handler. */
public record DefaultPipeline(String name, List<Route> routes, List<Filter> exchangeFilters) implements Pipeline {

    public DefaultPipeline {
        routes = List.copyOf(routes);
        exchangeFilters = List.copyOf(exchangeFilters);
    }

    /** A route of a loaded config. */
    public record DefaultRoute(String name, Object matchOrNull, Object actionOrNull, Upstream upstream) implements Route {
        @Override
        public Optional<Object> match() {
            return Optional.ofNullable(matchOrNull);
        }

        @Override
        public Optional<Object> action() {
            return Optional.ofNullable(actionOrNull);
        }
    }
}
