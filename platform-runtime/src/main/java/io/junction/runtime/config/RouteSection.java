package io.junction.runtime.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.config.ConfigDoc;

/** One element of a pipeline's {@code "routes"}. */
@ConfigDoc("A route: an optional match and action (their fields depend on the protocol) and the upstream to send to.")
public record RouteSection(
        @ConfigDoc("A name for metrics and logs; defaults to the route's position, \"routes[0]\".") String name,
        @ConfigDoc("What the route matches; omitted, it matches everything. Fields depend on the pipeline's protocol.") ObjectNode match,
        @ConfigDoc("What the route does besides sending to its upstream (rewrites, header edits, a direct answer); fields "
                + "depend on the pipeline's protocol.") ObjectNode action,
        @ConfigDoc("Name of the upstream to send to; may be omitted only when the action answers by itself.") String upstream) {

    public RouteSection {
        if (action == null) {
            ConfigChecks.required("upstream", upstream, "\"backends\"");
        }
    }
}
