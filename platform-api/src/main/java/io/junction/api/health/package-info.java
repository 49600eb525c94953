/**
 * Active health checks of upstream endpoints. The runtime schedules checks (interval, jitter,
 * timeout) and applies the healthy/unhealthy thresholds; a check only probes one endpoint once.
 */
package io.junction.api.health;
