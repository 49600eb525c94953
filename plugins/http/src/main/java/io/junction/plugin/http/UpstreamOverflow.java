package io.junction.plugin.http;

import io.junction.api.upstream.UpstreamLimits;

/** The upstream's circuit breaker refused a connection or a pending request; answered with 503, never retried. */
final class UpstreamOverflow extends Exception {

    UpstreamOverflow(UpstreamLimits.Resource resource) {
        super("upstream circuit breaker: no free " + resource.name().toLowerCase(java.util.Locale.ROOT) + " slot", null, false, false);
    }
}
