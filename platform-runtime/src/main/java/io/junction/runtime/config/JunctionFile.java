package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;
import java.time.Duration;
import java.util.List;

/**
 * The top level of {@code junction.json}. Pipelines and upstreams are bound one by one so that
 * every error of a file is reported, not only the first.
 */
@ConfigDoc("A Junction config: the admin endpoint, pipelines (listeners with a protocol, filters and routes) and upstreams.")
public record JunctionFile(
        @ConfigDoc("The admin HTTP endpoint (/ready, /config, /plugins, /metrics).") AdminSection admin,
        @ConfigDoc(value = "How long a drain (SIGTERM) lets in-flight connections finish before closing them.", defaultValue = "30s")
        Duration drainTimeout,
        @ConfigDoc(value = "Listeners and what they do with each connection.", required = true) List<PipelineSection> pipelines,
        @ConfigDoc("Named groups of backend endpoints that routes send to.") List<UpstreamSection> upstreams) {

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
}
