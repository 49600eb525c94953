/**
 * Junction's platform API: the small, stable SPI that plugins compile against.
 *
 * <p>A plugin provides one or more extensions with {@code provides ... with ...}:
 * {@link io.junction.api.protocol.ProtocolHandlerExtension protocol handlers},
 * {@link io.junction.api.filter.FilterExtension filters},
 * {@link io.junction.api.upstream.BalancerExtension balancers},
 * {@link io.junction.api.health.HealthCheckExtension health checks} and (since API 1.2)
 * {@link io.junction.api.discovery.DiscoveryExtension endpoint discoveries}.
 */
module io.junction.api {
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.handler;
    requires transitive micrometer.core;
    requires transitive jakarta.inject;
    requires transitive com.fasterxml.jackson.annotation;

    exports io.junction.api;
    exports io.junction.api.config;
    exports io.junction.api.discovery;
    exports io.junction.api.filter;
    exports io.junction.api.health;
    exports io.junction.api.protocol;
    exports io.junction.api.runtime;
    exports io.junction.api.upstream;
}
