package io.junction.plugin.balancers;

import io.junction.api.config.ConfigDoc;

/** The config of a balancer that takes no settings. */
@ConfigDoc("No settings.")
public record NoConfig() {
}
