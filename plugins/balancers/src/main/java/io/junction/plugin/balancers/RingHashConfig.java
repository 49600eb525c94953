package io.junction.plugin.balancers;

import io.junction.api.config.ConfigDoc;

/** Settings of {@code ring-hash}: the key, and the number of points on the ring. */
@ConfigDoc("Consistent hashing on a ring with virtual nodes.")
public record RingHashConfig(
        @ConfigDoc(value = "The key: \"source-ip\", \"header:<name>\", \"cookie:<name>\", \"path\" or \"sni\". A request "
                + "without it goes to a weighted random endpoint.", defaultValue = "\"source-ip\"") String hashOn,
        @ConfigDoc(value = "Points on the ring per unit of an endpoint's configured weight; more spreads keys more evenly "
                + "(about ±1/sqrt(points) per endpoint).", defaultValue = "160") Integer virtualNodes,
        @ConfigDoc(value = "Most points on the ring; above it every endpoint gets proportionally fewer, and then removing "
                + "one moves some other keys too.", defaultValue = "1048576") Integer maxRingSize) {

    static final int DEFAULT_VIRTUAL_NODES = 160;
    static final int DEFAULT_MAX_RING_SIZE = 1 << 20;

    public RingHashConfig {
        hashOn = hashOn == null ? HashOn.DEFAULT : hashOn;
        HashOn.parse("hashOn", hashOn);
        virtualNodes = virtualNodes == null ? DEFAULT_VIRTUAL_NODES : virtualNodes;
        if (virtualNodes < 1 || virtualNodes > 10_000) {
            throw new IllegalArgumentException("virtualNodes: expected 1 to 10000, got " + virtualNodes);
        }
        maxRingSize = maxRingSize == null ? DEFAULT_MAX_RING_SIZE : maxRingSize;
        if (maxRingSize < 1024 || maxRingSize > 1 << 24) {
            throw new IllegalArgumentException("maxRingSize: expected 1024 to 16777216, got " + maxRingSize);
        }
    }
}
