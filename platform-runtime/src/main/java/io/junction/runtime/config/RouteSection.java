package io.junction.runtime.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.config.ConfigDoc;

/** One element of a pipeline's {@code "routes"}. */
@ConfigDoc("A route: an optional match (its fields depend on the protocol) and the upstream to send to.")
public record RouteSection(
        @ConfigDoc("What the route matches; omitted, it matches everything. Fields depend on the pipeline's protocol.") ObjectNode match,
        @ConfigDoc(value = "Name of the upstream to send to.", required = true) String upstream) {

    public RouteSection {
        ConfigChecks.required("upstream", upstream, "\"backends\"");
    }
}
