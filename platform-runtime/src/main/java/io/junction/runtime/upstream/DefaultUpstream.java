package io.junction.runtime.upstream;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.Upstream;
import io.junction.api.upstream.UpstreamTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An upstream: its endpoints, the balancer that picks among the healthy ones and, optionally, TLS to them. */
public final class DefaultUpstream implements Upstream {

    private final String name;
    private final List<DefaultEndpoint> endpoints;
    private final List<Endpoint> view;
    private final Balancer balancer;
    private final Optional<UpstreamTls> tls;

    public DefaultUpstream(String name, List<DefaultEndpoint> endpoints, Balancer balancer) {
        this(name, endpoints, balancer, null);
    }

    /** @param tls TLS to the endpoints, or null for plain connections */
    public DefaultUpstream(String name, List<DefaultEndpoint> endpoints, Balancer balancer, UpstreamTls tls) {
        this.name = name;
        this.endpoints = List.copyOf(endpoints);
        this.view = List.copyOf(endpoints);
        this.balancer = balancer;
        this.tls = Optional.ofNullable(tls);
    }

    @Override
    public Optional<UpstreamTls> tls() {
        return tls;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Endpoint> endpoints() {
        return view;
    }

    List<DefaultEndpoint> defaultEndpoints() {
        return endpoints;
    }

    @Override
    public Optional<Endpoint> pick(PickContext context) {
        List<Endpoint> candidates = candidates(context);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Endpoint chosen = balancer.pick(candidates, context);
        if (chosen == null || !candidates.contains(chosen)) {
            throw new IllegalStateException("balancer " + balancer.getClass().getName() + " of upstream " + name
                    + " returned " + chosen + ", which is not one of its candidates");
        }
        return Optional.of(chosen);
    }

    private List<Endpoint> candidates(PickContext context) {
        boolean all = context.excluded().isEmpty();
        for (int i = 0; all && i < endpoints.size(); i++) {
            all = endpoints.get(i).healthy();
        }
        if (all) {
            return view;
        }
        List<Endpoint> candidates = new ArrayList<>(endpoints.size());
        for (DefaultEndpoint e : endpoints) {
            if (e.healthy() && !context.isExcluded(e)) {
                candidates.add(e);
            }
        }
        return candidates;
    }

    @Override
    public String toString() {
        return name + endpoints;
    }
}
