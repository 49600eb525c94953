package io.junction.runtime.server;

import io.junction.api.discovery.EndpointDiscovery;
import io.junction.api.filter.ConnectionFilter;
import io.junction.api.filter.Filter;
import io.junction.api.health.HealthCheck;
import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.Route;
import io.junction.api.upstream.Balancer;
import io.junction.runtime.config.BoundExtension;
import io.junction.runtime.config.EndpointSection;
import io.junction.runtime.config.HostPort;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.inject.ExtensionException;
import io.junction.runtime.inject.ExtensionInstantiator;
import io.junction.runtime.listener.DefaultPipeline;
import io.junction.runtime.listener.ListenSockets;
import io.junction.runtime.listener.PipelineListener;
import io.junction.runtime.transport.Transport;
import io.junction.runtime.upstream.DefaultEndpoint;
import io.junction.runtime.upstream.DefaultUpstream;
import io.junction.runtime.upstream.HealthChecker;
import io.junction.runtime.upstream.UpstreamSet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one config builds — upstreams, health checkers, discoveries, protocol handlers,
 * filters, one listener per pipeline — as at start-up. A reload builds a new generation and
 * retires the old one: drained, then closed. The gauges it registered are its own (a gauge reports
 * the object it was registered with), so they leave the registry when it stops being current.
 */
final class Generation {

    private static final Logger log = LoggerFactory.getLogger(Generation.class);

    /** An upstream's endpoint discovery, started with the health checks. */
    private record Discovery(DefaultUpstream upstream, EndpointDiscovery discovery) {
    }

    private final LoadedConfig config;
    private final UpstreamSet upstreams = new UpstreamSet();
    private final List<HealthChecker> healthCheckers = new ArrayList<>();
    private final List<Discovery> discoveries = new ArrayList<>();
    private final List<PipelineListener> listeners = new ArrayList<>();
    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();
    private final List<Gauge> restored = new ArrayList<>();
    private boolean closed;

    Generation(LoadedConfig config) {
        this.config = config;
    }

    LoadedConfig config() {
        return config;
    }

    UpstreamSet upstreams() {
        return upstreams;
    }

    List<PipelineListener> listeners() {
        return listeners;
    }

    /** Builds every extension the config names; throws with every problem, having closed what it built. */
    void build(MeterRegistry metrics, Transport transport, ScheduledExecutorService scheduler) throws StartupException {
        ExtensionInstantiator instantiator = new ExtensionInstantiator(metrics, upstreams, transport, scheduler);
        List<String> problems = new ArrayList<>();
        for (LoadedConfig.Upstream u : config.upstreams()) {
            try {
                upstream(u, instantiator, metrics, scheduler);
            } catch (ExtensionException e) {
                problems.add(e.getMessage());
            }
        }
        for (LoadedConfig.Pipeline p : config.pipelines()) {
            try {
                listeners.add(pipeline(p, instantiator, metrics));
            } catch (ExtensionException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            close();
            throw new StartupException(problems);
        }
    }

    private void upstream(LoadedConfig.Upstream u, ExtensionInstantiator instantiator, MeterRegistry metrics,
                          ScheduledExecutorService scheduler) throws ExtensionException {
        Balancer balancer = instantiator.create(u.balancer(), Balancer.class);
        List<DefaultEndpoint> endpoints = new ArrayList<>();
        for (EndpointSection e : u.endpoints()) {
            HostPort hp = e.hostPort();
            endpoints.add(new DefaultEndpoint(u.name(), hp.toString(), hp.resolve(), e.weight(), metrics));
        }
        DefaultUpstream.Policies policies = new DefaultUpstream.Policies(u.outlierDetection(), u.circuitBreaker(),
                u.slowStart(), u.panicThreshold(), u.healthCheck() != null, u.httpProtocol());
        DefaultUpstream upstream = new DefaultUpstream(u.name(), endpoints, balancer, u.tls(), policies, metrics);
        upstreams.add(upstream);
        if (u.discovery() != null) {
            discoveries.add(new Discovery(upstream, instantiator.create(u.discovery(), EndpointDiscovery.class)));
        }
        if (u.healthCheck() != null) {
            HealthCheck check = instantiator.create(u.healthCheck(), HealthCheck.class);
            healthCheckers.add(new HealthChecker(upstream, check, u.healthCheckTiming(), scheduler));
        }
    }

    private PipelineListener pipeline(LoadedConfig.Pipeline p, ExtensionInstantiator instantiator, MeterRegistry metrics)
            throws ExtensionException {
        List<ConnectionFilter> connectionFilters = new ArrayList<>();
        List<Filter> exchangeFilters = new ArrayList<>();
        for (BoundExtension f : p.filters()) {
            Filter filter = instantiator.create(f, Filter.class);
            if (filter instanceof ConnectionFilter cf) {
                connectionFilters.add(cf);
            } else {
                exchangeFilters.add(filter);
            }
        }
        List<Route> routes = new ArrayList<>();
        for (LoadedConfig.Route r : p.routes()) {
            routes.add(new DefaultPipeline.DefaultRoute(r.name(), r.match(), r.action(),
                    r.upstream() == null ? null : upstreams.find(r.upstream()).orElseThrow()));
        }
        Pipeline pipeline = new DefaultPipeline(p.name(), routes, exchangeFilters);
        ProtocolHandler handler = instantiator.create(p.protocol(), ProtocolHandler.class,
                binder -> binder.bind(Pipeline.class).toInstance(pipeline));
        return new PipelineListener(p, handler, connectionFilters, metrics);
    }

    /** The addresses every pipeline wants to listen on, in config order. */
    List<ListenSockets.Wanted> wanted() {
        return listeners.stream().flatMap(l -> l.wanted().stream()).toList();
    }

    /** Starts the health checks, then the discoveries (endpoints a discovery adds wait for their first check). */
    void start() throws StartupException {
        healthCheckers.forEach(HealthChecker::start);
        for (Discovery d : discoveries) {
            try {
                d.discovery().start(d.upstream()::discovered);
            } catch (RuntimeException e) {
                throw new StartupException(List.of("upstream " + d.upstream().name() + ": discovery failed to start: " + e));
            }
        }
    }

    /** Counts a gauge registered while this generation was being built or was current. */
    void registered(Gauge gauge) {
        gauges.add(gauge);
    }

    /** Takes this generation's gauges out of the registry, so that the next generation's can take their names. */
    void removeGauges(MeterRegistry metrics) {
        gauges.forEach(metrics::remove);
    }

    /**
     * Puts the gauges back after a failed reload. The registry cannot take a removed meter again, so
     * each comes back as a new gauge reading the old one (kept here: gauges hold what they read weakly).
     */
    void restoreGauges(MeterRegistry metrics) {
        List<Gauge> old = List.copyOf(gauges);
        gauges.clear();
        restored.addAll(old);
        for (Gauge g : old) {
            Gauge back = Gauge.builder(g.getId().getName(), g, Gauge::value).tags(g.getId().getTags())
                    .description(g.getId().getDescription()).baseUnit(g.getId().getBaseUnit()).register(metrics);
            if (!gauges.contains(back)) {
                gauges.add(back);
            }
        }
    }

    /** Tells every pipeline's protocol to finish its exchanges and close (HTTP/2: GOAWAY). */
    void drain() {
        listeners.forEach(PipelineListener::drain);
    }

    int openConnections() {
        return listeners.stream().mapToInt(PipelineListener::openConnections).sum();
    }

    /** Stops discoveries and health checks and closes every connection still open. Idempotent. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Discovery d : discoveries) {
            try {
                d.discovery().close();
            } catch (RuntimeException e) {
                log.warn("upstream {}: discovery did not close cleanly: {}", d.upstream().name(), e.toString());
            }
        }
        healthCheckers.forEach(HealthChecker::close);
        listeners.forEach(PipelineListener::closeAll);
    }
}
