/**
 * Junction's runtime: CLI, config, plugin loading, listeners, upstreams and the admin endpoint.
 * Plugins must not require this module; they see only {@code io.junction.api}.
 */
module io.junction.runtime {
    requires io.junction.api;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.haproxy;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires com.fasterxml.jackson.databind;
    requires com.google.guice;
    requires info.picocli;
    requires org.slf4j;
    requires micrometer.core;
    requires micrometer.registry.prometheus;
    requires jdk.unsupported;

    uses io.junction.api.protocol.ProtocolHandlerExtension;
    uses io.junction.api.filter.FilterExtension;
    uses io.junction.api.upstream.BalancerExtension;
    uses io.junction.api.health.HealthCheckExtension;
    uses io.junction.api.discovery.DiscoveryExtension;

    opens io.junction.runtime.cli to info.picocli;
    opens io.junction.runtime.config to com.fasterxml.jackson.databind;
    opens io.junction.runtime.inject to com.google.guice;
    opens io.junction.runtime.tls to com.fasterxml.jackson.databind;
}
