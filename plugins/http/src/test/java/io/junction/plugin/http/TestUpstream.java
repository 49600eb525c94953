package io.junction.plugin.http;

import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.HttpProtocol;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.Upstream;
import java.util.List;
import java.util.Optional;

/** An upstream of one endpoint, which every pick returns, speaking {@code httpProtocol} to it. */
record TestUpstream(String name, Endpoint endpoint, HttpProtocol httpProtocol) implements Upstream {

    @Override
    public List<Endpoint> endpoints() {
        return List.of(endpoint);
    }

    @Override
    public Optional<Endpoint> pick(PickContext context) {
        return Optional.of(endpoint);
    }
}
