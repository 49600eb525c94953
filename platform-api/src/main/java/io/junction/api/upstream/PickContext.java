package io.junction.api.upstream;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a balancer may know of the connection or request being balanced: the client's address,
 * named attributes of the request (for hashing balancers), and endpoints to avoid (already tried).
 * Immutable.
 *
 * <p>Attribute names used by Junction's protocols: {@code "path"}, {@code "header:<name>"}
 * (lower case), {@code "cookie:<name>"}, {@code "sni"}.
 */
public final class PickContext {

    private static final Function<String, String> NO_ATTRIBUTES = name -> null;

    private final InetSocketAddress client;
    private final Function<String, String> attributes;
    private final Set<Endpoint> excluded;
    private final Endpoint preferred;

    private PickContext(InetSocketAddress client, Function<String, String> attributes, Set<Endpoint> excluded, Endpoint preferred) {
        this.client = client;
        this.attributes = Objects.requireNonNull(attributes, "attributes");
        this.excluded = Set.copyOf(excluded);
        this.preferred = preferred;
    }

    /** A context for a connection from {@code client} (may be null when unknown). */
    public static PickContext forClient(InetSocketAddress client) {
        return new PickContext(client, NO_ATTRIBUTES, Set.of(), null);
    }

    /** This context with request attributes looked up through {@code lookup} (returning null when absent). */
    public PickContext withAttributes(Function<String, String> lookup) {
        return new PickContext(client, lookup, excluded, preferred);
    }

    /** This context, also excluding {@code endpoint} (for a retry after it failed). */
    public PickContext excluding(Endpoint endpoint) {
        Set<Endpoint> more = new java.util.HashSet<>(excluded);
        more.add(endpoint);
        return new PickContext(client, attributes, more, preferred);
    }

    /**
     * This context, asking for {@code endpoint} (session affinity): the upstream returns it
     * without asking the balancer when it is available and not excluded. Since API 1.2.
     */
    public PickContext preferring(Endpoint endpoint) {
        return new PickContext(client, attributes, excluded, endpoint);
    }

    /** The endpoint asked for by {@link #preferring}, if any. Since API 1.2. */
    public Optional<Endpoint> preferred() {
        return Optional.ofNullable(preferred);
    }

    public Optional<InetSocketAddress> client() {
        return Optional.ofNullable(client);
    }

    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.apply(name));
    }

    public boolean isExcluded(Endpoint endpoint) {
        return excluded.contains(endpoint);
    }

    public Set<Endpoint> excluded() {
        return excluded;
    }
}
