package io.junction.plugin.discoverydns;

import io.junction.api.discovery.DiscoveredEndpoint;
import io.junction.api.discovery.EndpointDiscovery;
import io.junction.api.runtime.EventLoops;
import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the configured name, waits an interval, resolves again. The query runs on one event
 * loop; its outcome is handled on the scheduler, which publishes the sorted endpoint set when it
 * differs from the last one published. A failed lookup (no answer, NXDOMAIN, no records) keeps
 * the last set.
 */
public final class DnsDiscovery implements EndpointDiscovery {

    private static final Logger log = LoggerFactory.getLogger(DnsDiscovery.class);

    /** IPv4 before IPv6, then by address bytes: the same records always give the same list. */
    private static final Comparator<InetAddress> ADDRESS_ORDER = Comparator
            .comparingInt((InetAddress a) -> a.getAddress().length)
            .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    private final DnsDiscoveryConfig config;
    private final EventLoops eventLoops;
    private final ScheduledExecutorService scheduler;

    // Guarded by this: close() must not return while an update is being published.
    private Consumer<List<DiscoveredEndpoint>> updates;
    private EventLoop loop;
    private DnsNameResolver resolver;
    private ScheduledFuture<?> next;
    private List<DiscoveredEndpoint> published;
    private boolean failing;
    private boolean closed;

    @Inject
    public DnsDiscovery(DnsDiscoveryConfig config, EventLoops eventLoops, ScheduledExecutorService scheduler) {
        this.config = config;
        this.eventLoops = eventLoops;
        this.scheduler = scheduler;
    }

    @Override
    public synchronized void start(Consumer<List<DiscoveredEndpoint>> updates) {
        Objects.requireNonNull(updates, "updates");
        if (this.updates != null) {
            throw new IllegalStateException("dns discovery of " + config.name() + " is already started");
        }
        this.updates = updates;
        if (closed) {
            return;
        }
        loop = eventLoops.group().next();
        resolver = DnsResolvers.create(config, eventLoops, loop);
        scheduleLookup(0);
    }

    private void scheduleLookup(long delayMillis) {
        try {
            next = scheduler.schedule(this::lookup, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("dns discovery of {} stops: the scheduler is shut down", config.name());
        }
    }

    private void lookup() {
        DnsNameResolver current;
        EventLoop currentLoop;
        synchronized (this) {
            if (closed) {
                return;
            }
            current = resolver;
            currentLoop = loop;
        }
        try {
            currentLoop.execute(() -> current.resolveAll(config.name()).addListener((Future<List<InetAddress>> result) -> {
                try {
                    scheduler.execute(() -> completed(result));
                } catch (RejectedExecutionException e) {
                    log.debug("dns discovery of {} stops: the scheduler is shut down", config.name());
                }
            }));
        } catch (RejectedExecutionException e) {
            log.debug("dns discovery of {} stops: the event loops are shut down", config.name());
        }
    }

    private synchronized void completed(Future<List<InetAddress>> result) {
        if (closed) {
            return;
        }
        try {
            if (result.isSuccess() && !result.getNow().isEmpty()) {
                succeeded(result.getNow());
            } else {
                failed(result.cause());
            }
        } finally {
            scheduleLookup(config.interval().toMillis());
        }
    }

    private void succeeded(List<InetAddress> addresses) {
        List<DiscoveredEndpoint> found = endpoints(addresses);
        if (failing) {
            failing = false;
            log.info("dns discovery of {} resolves again: {} addresses", config.name(), found.size());
        }
        if (found.equals(published)) {
            return;
        }
        try {
            updates.accept(found);
            published = found;
        } catch (RuntimeException e) {
            log.warn("dns discovery of {}: the upstream refused the update, retrying after the next lookup", config.name(), e);
        }
    }

    private void failed(Throwable cause) {
        String reason = describe(cause);
        String kept = published == null ? "no endpoints discovered yet" : "keeping the last " + published.size() + " endpoints";
        // One warning per run of failures; every interval would flood the log while a server is down.
        if (!failing) {
            failing = true;
            log.warn("dns discovery of {}: lookup failed, {}: {}", config.name(), kept, reason);
        } else {
            log.debug("dns discovery of {}: lookup failed again, {}: {}", config.name(), kept, reason);
        }
    }

    private List<DiscoveredEndpoint> endpoints(List<InetAddress> addresses) {
        return addresses.stream().distinct().sorted(ADDRESS_ORDER)
                .map(address -> new DiscoveredEndpoint(config.name() + ":" + config.port() + "/" + NetUtil.toAddressString(address),
                        new InetSocketAddress(address, config.port()), config.weight()))
                .toList();
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no A or AAAA records";
        }
        String reason = String.valueOf(cause.getMessage()).strip();
        if (cause.getCause() != null && cause.getCause() != cause) {
            return reason + " (" + cause.getCause().getMessage() + ")";
        }
        // Netty fails a lookup whose answers hold no address records without naming a cause.
        return cause instanceof UnknownHostException ? reason + " (no address records in the answers)" : reason;
    }

    @Override
    public void close() {
        DnsNameResolver current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
            current = resolver;
            resolver = null;
        }
        if (current != null) {
            current.close();
        }
    }
}
