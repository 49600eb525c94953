package io.junction.runtime.plugin;

import io.junction.api.Extension;
import io.junction.api.filter.Filter;
import io.junction.api.filter.FilterExtension;
import io.junction.api.health.HealthCheck;
import io.junction.api.health.HealthCheckExtension;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;
import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.BalancerExtension;

/** The extension points of the platform API, each looked up with {@link java.util.ServiceLoader}. */
public enum ExtensionKind {
    PROTOCOL("protocol handler", ProtocolHandlerExtension.class, ProtocolHandler.class),
    FILTER("filter", FilterExtension.class, Filter.class),
    BALANCER("balancer", BalancerExtension.class, Balancer.class),
    HEALTH_CHECK("health check", HealthCheckExtension.class, HealthCheck.class),
    DISCOVERY("discovery", io.junction.api.discovery.DiscoveryExtension.class, io.junction.api.discovery.EndpointDiscovery.class);

    private final String label;
    private final Class<? extends Extension<?, ?>> service;
    private final Class<?> contract;

    @SuppressWarnings({"unchecked", "rawtypes"})
    ExtensionKind(String label, Class service, Class<?> contract) {
        this.label = label;
        this.service = service;
        this.contract = contract;
    }

    /** Human name, e.g. "protocol handler". */
    public String label() {
        return label;
    }

    /** The service interface plugins provide. */
    public Class<? extends Extension<?, ?>> service() {
        return service;
    }

    /** The interface every implementation of this kind implements. */
    public Class<?> contract() {
        return contract;
    }
}
