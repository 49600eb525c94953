package io.junction.api.health;

import io.junction.api.upstream.Endpoint;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Probes one endpoint once. One instance exists per upstream; it is called concurrently for the
 * upstream's endpoints and must not block.
 */
public interface HealthCheck {

    /**
     * Starts one probe of {@code endpoint}. The stage completes with the result; it should
     * complete within {@code timeout} — the runtime counts a later completion as a failure, but
     * only stops waiting: the check must close its own connection at its timeout.
     */
    CompletionStage<HealthCheckResult> check(Endpoint endpoint, Duration timeout);
}
