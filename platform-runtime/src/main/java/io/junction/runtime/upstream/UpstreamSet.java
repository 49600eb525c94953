package io.junction.runtime.upstream;

import io.junction.api.upstream.Upstream;
import io.junction.api.upstream.UpstreamRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The upstreams of one loaded config. */
public final class UpstreamSet implements UpstreamRegistry {

    private final Map<String, DefaultUpstream> byName = new LinkedHashMap<>();

    public void add(DefaultUpstream upstream) {
        byName.put(upstream.name(), upstream);
    }

    @Override
    public Optional<Upstream> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Collection<Upstream> all() {
        return java.util.List.copyOf(byName.values());
    }

    /** The upstreams in config order, with their runtime state. */
    java.util.List<DefaultUpstream> defaultUpstreams() {
        return java.util.List.copyOf(byName.values());
    }
}
