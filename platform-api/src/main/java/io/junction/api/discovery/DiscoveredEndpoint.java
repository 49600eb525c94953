package io.junction.api.discovery;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One endpoint found by a discovery.
 *
 * @param id      stable name used in metrics, logs and {@code /upstreams}, e.g.
 *                {@code "backend.internal:8080/10.0.0.7"}; endpoints with the same id across updates
 *                are the same endpoint and keep their state
 * @param address the resolved address to connect to
 * @param weight  relative share of traffic, 1 to 1000
 */
public record DiscoveredEndpoint(String id, InetSocketAddress address, int weight) {

    public DiscoveredEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("weight: expected 1 to 1000, got " + weight);
        }
    }
}
