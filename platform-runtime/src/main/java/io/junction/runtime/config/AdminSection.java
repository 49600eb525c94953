package io.junction.runtime.config;

import io.junction.api.config.ConfigDoc;

/** {@code "admin"}: where the admin HTTP endpoint listens. */
@ConfigDoc("The admin HTTP endpoint.")
public record AdminSection(
        @ConfigDoc(value = "host:port of the admin endpoint; keep it on loopback or a private network.", required = true)
        String listen) {

    public AdminSection {
        if (listen == null) {
            throw new IllegalArgumentException("listen: is required, e.g. \"127.0.0.1:9901\"");
        }
        ConfigChecks.hostPort("listen", listen);
    }
}
