package io.junction.api.discovery;

import java.util.List;
import java.util.function.Consumer;

/**
 * Finds an upstream's endpoints and reports every change. One instance per upstream that names
 * it in {@code "discovery": {"type": ...}}. It must not block an event loop: resolve on the
 * injected {@code ScheduledExecutorService} or asynchronously.
 */
public interface EndpointDiscovery extends AutoCloseable {

    /**
     * Starts discovering. Each call of {@code updates} replaces the upstream's discovered
     * endpoints with the given complete set (static endpoints from the config stay). An empty
     * set means "none now". When a lookup fails, keep the last set and log; do not publish
     * an empty one. Called once, after the upstream is built and before traffic starts.
     */
    void start(Consumer<List<DiscoveredEndpoint>> updates);

    /** Stops discovering; no update may be published after it returns. */
    @Override
    void close();
}
