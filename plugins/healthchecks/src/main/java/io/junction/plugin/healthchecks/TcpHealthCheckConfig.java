package io.junction.plugin.healthchecks;

import io.junction.api.config.ConfigDoc;

/** The tcp health check takes no settings beyond the runtime's interval, timeout and thresholds. */
@ConfigDoc("Connects, then closes at once.")
public record TcpHealthCheckConfig() {
}
