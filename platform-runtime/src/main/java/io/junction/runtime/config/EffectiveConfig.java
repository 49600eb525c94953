package io.junction.runtime.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The config as Junction runs it: every field, defaults filled in, durations and sizes normalised.
 * Served on the admin endpoint's {@code /config}.
 */
public final class EffectiveConfig {

    private EffectiveConfig() {
    }

    public static ObjectNode toJson(LoadedConfig config, ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        config.admin().ifPresent(admin -> root.putObject("admin").put("listen", admin.toString()));
        root.put("drainTimeout", Durations.format(config.drainTimeout()));
        ArrayNode pipelines = root.putArray("pipelines");
        for (LoadedConfig.Pipeline p : config.pipelines()) {
            ObjectNode node = pipelines.addObject();
            node.put("name", p.name());
            ArrayNode listen = node.putArray("listen");
            p.listen().forEach(address -> listen.add(address.toString()));
            node.put("acceptProxyProtocol", p.acceptProxyProtocol());
            node.set("limits", mapper.valueToTree(p.limits()));
            if (p.tls() != null) {
                ObjectNode tls = node.putObject("tls");
                tls.put("provider", p.tls().provider());
                p.tls().protocols().forEach(tls.putArray("protocols")::add);
                p.tls().alpn().forEach(tls.putArray("alpn")::add);
                tls.put("handshakeTimeout", Durations.format(p.tls().handshakeTimeout()));
                p.tls().certificates().forEach(tls.putArray("certificates")::add);
            }
            node.set("protocol", extension(p.protocol(), mapper));
            ArrayNode filters = node.putArray("filters");
            p.filters().forEach(f -> filters.add(extension(f, mapper)));
            ArrayNode routes = node.putArray("routes");
            for (LoadedConfig.Route r : p.routes()) {
                ObjectNode route = routes.addObject();
                route.put("name", r.name());
                if (r.match() != null) {
                    route.set("match", mapper.valueToTree(r.match()));
                }
                if (r.action() != null) {
                    route.set("action", mapper.valueToTree(r.action()));
                }
                if (r.upstream() != null) {
                    route.put("upstream", r.upstream());
                }
            }
        }
        ArrayNode upstreams = root.putArray("upstreams");
        for (LoadedConfig.Upstream u : config.upstreams()) {
            ObjectNode node = upstreams.addObject();
            node.put("name", u.name());
            ArrayNode endpoints = node.putArray("endpoints");
            u.endpoints().forEach(e -> endpoints.addObject().put("address", e.hostPort().toString()).put("weight", e.weight()));
            node.set("balancer", extension(u.balancer(), mapper));
            if (u.healthCheck() != null) {
                ObjectNode check = extension(u.healthCheck(), mapper);
                check.setAll((ObjectNode) mapper.valueToTree(u.healthCheckTiming()));
                node.set("healthCheck", check);
            }
            if (u.tls() != null) {
                ObjectNode tls = (ObjectNode) mapper.valueToTree(u.tls().settings());
                tls.put("provider", u.tls().provider());
                node.set("tls", tls);
            }
        }
        return root;
    }

    private static ObjectNode extension(BoundExtension bound, ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode().put("type", bound.type());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(bound.extension().classLoader());
        try {
            node.setAll((ObjectNode) mapper.valueToTree(bound.config()));
        } finally {
            thread.setContextClassLoader(previous);
        }
        return node;
    }
}
