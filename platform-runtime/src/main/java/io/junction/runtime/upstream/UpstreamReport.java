package io.junction.runtime.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.api.upstream.UpstreamLimits.Resource;
import java.util.Locale;

/** The admin endpoint's {@code /upstreams}: every upstream's endpoints and their state now. */
public final class UpstreamReport {

    private UpstreamReport() {
    }

    public static ObjectNode json(ObjectMapper mapper, UpstreamSet upstreams) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("upstreams");
        long now = System.nanoTime();
        for (DefaultUpstream u : upstreams.defaultUpstreams()) {
            ObjectNode node = list.addObject();
            node.put("name", u.name());
            int available = 0;
            ArrayNode endpoints = node.putArray("endpoints");
            for (DefaultEndpoint e : u.defaultEndpoints()) {
                boolean ejected = e.ejectedAt(now);
                if (e.healthy() && !ejected) {
                    available++;
                }
                ObjectNode ep = endpoints.addObject();
                ep.put("id", e.id());
                ep.put("address", e.address().getAddress().getHostAddress() + ":" + e.address().getPort());
                ep.put("state", !e.healthy() ? "unhealthy" : ejected ? "ejected" : "available");
                ep.put("healthy", e.healthy());
                ep.put("ejected", ejected);
                if (ejected) {
                    long left = e.ejectedUntilNanos() - now;
                    ep.put("ejectedForMillis", Math.max(0, left / 1_000_000));
                    ep.put("ejections", e.ejections());
                    ep.put("waitsForHealthCheck", left <= 0);
                }
                ep.put("weight", e.weight());
                if (u.policies().slowStart() != null) {
                    ep.put("slowStartSharePercent", Math.round(e.rampShare(u.policies().slowStart().toNanos()) * 100));
                }
                ep.put("activeRequests", e.activeRequests());
                ep.put("activeConnections", e.activeConnections());
                ep.put("latencyEwmaMillis", Math.round(e.latencyEwmaNanos() / 10_000.0) / 100.0);
                if (e.lastCheck() != null) {
                    ep.put("lastCheck", e.lastCheck());
                }
            }
            node.put("available", available);
            node.put("panicThresholdPercent", u.policies().panicThreshold());
            ObjectNode limits = node.putObject("limits");
            for (Resource r : Resource.values()) {
                ObjectNode l = limits.putObject(r.name().toLowerCase(Locale.ROOT));
                l.put("inUse", u.circuitBreaker().inUse(r));
                l.put("overflows", u.circuitBreaker().overflows(r));
            }
        }
        return root;
    }
}
