package io.junction.api.upstream;

import java.util.Collection;
import java.util.Optional;

/** The upstreams of the loaded config, by name. */
public interface UpstreamRegistry {

    Optional<Upstream> find(String name);

    Collection<Upstream> all();
}
