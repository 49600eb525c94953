/**
 * Endpoint discovery: where an upstream's endpoints come from when they are not (only) written
 * in the config — DNS names re-resolved on an interval, or a service registry. A discovery
 * publishes complete endpoint sets; the runtime diffs them against what the upstream has,
 * keeps the state of endpoints that stay, health-checks new ones and ramps them up (slow start).
 * Since API 1.2.
 */
package io.junction.api.discovery;
