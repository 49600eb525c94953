package io.junction.api.health;

import io.junction.api.Extension;

/**
 * A health check an upstream can name in {@code "healthCheck": {"type": ...}}. The fields
 * {@code interval}, {@code timeout}, {@code healthyThreshold} and {@code unhealthyThreshold} are
 * the runtime's; the remaining fields bind to {@link #configType()}.
 *
 * @param <C> the check's config record
 */
public interface HealthCheckExtension<C> extends Extension<C, HealthCheck> {
}
