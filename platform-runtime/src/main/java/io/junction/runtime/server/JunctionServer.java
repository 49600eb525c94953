package io.junction.runtime.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.junction.api.filter.ConnectionFilter;
import io.junction.api.filter.Filter;
import io.junction.api.discovery.EndpointDiscovery;
import io.junction.api.health.HealthCheck;
import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.Route;
import io.junction.api.upstream.Balancer;
import io.junction.runtime.admin.AdminServer;
import io.junction.runtime.admin.AdminServer.AdminResponse;
import io.junction.runtime.config.BoundExtension;
import io.junction.runtime.config.ConfigMapper;
import io.junction.runtime.config.EffectiveConfig;
import io.junction.runtime.config.EndpointSection;
import io.junction.runtime.config.HostPort;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.inject.ExtensionException;
import io.junction.runtime.inject.ExtensionInstantiator;
import io.junction.runtime.listener.DefaultPipeline;
import io.junction.runtime.listener.PipelineListener;
import io.junction.runtime.plugin.PluginReport;
import io.junction.runtime.plugin.PluginSet;
import io.junction.runtime.transport.Transport;
import io.junction.runtime.upstream.DefaultEndpoint;
import io.junction.runtime.upstream.DefaultUpstream;
import io.junction.runtime.upstream.HealthChecker;
import io.junction.runtime.upstream.UpstreamReport;
import io.junction.runtime.upstream.UpstreamSet;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelFuture;
import java.net.BindException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Junction: event loops, upstreams, health checkers, one listener per pipeline and
 * the admin endpoint, built from a {@link LoadedConfig} and the loaded plugins.
 */
public final class JunctionServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JunctionServer.class);

    private final LoadedConfig config;
    private final PluginSet plugins;
    private final Transport transport;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junction-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final UpstreamSet upstreams = new UpstreamSet();
    private final List<HealthChecker> healthCheckers = new ArrayList<>();
    private final List<Discovery> discoveries = new ArrayList<>();

    /** An upstream's endpoint discovery, started with the health checks. */
    private record Discovery(DefaultUpstream upstream, EndpointDiscovery discovery) {
    }
    private final List<PipelineListener> listeners = new ArrayList<>();
    private AdminServer admin;
    private volatile boolean ready;
    private volatile boolean draining;

    private JunctionServer(LoadedConfig config, PluginSet plugins, Transport transport) {
        this.config = config;
        this.plugins = plugins;
        this.transport = transport;
    }

    /** Builds and starts everything; on any failure, closes what was started and reports every problem. */
    public static JunctionServer start(LoadedConfig config, PluginSet plugins, int eventLoops) throws StartupException {
        JunctionServer server = new JunctionServer(config, plugins, Transport.start(eventLoops, true));
        try {
            server.build();
            server.bindAll();
        } catch (StartupException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Builds every extension the config names, as {@link #start} would, but binds no port. */
    public static void check(LoadedConfig config, PluginSet plugins) throws StartupException {
        try (JunctionServer server = new JunctionServer(config, plugins, Transport.start(1, false))) {
            server.build();
        }
    }

    private void build() throws StartupException {
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        ExtensionInstantiator instantiator = new ExtensionInstantiator(metrics, upstreams, transport, scheduler);
        List<String> problems = new ArrayList<>();
        for (LoadedConfig.Upstream u : config.upstreams()) {
            try {
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
            } catch (ExtensionException e) {
                problems.add(e.getMessage());
            }
        }
        for (LoadedConfig.Pipeline p : config.pipelines()) {
            try {
                listeners.add(pipeline(p, instantiator));
            } catch (ExtensionException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new StartupException(problems);
        }
    }

    private PipelineListener pipeline(LoadedConfig.Pipeline p, ExtensionInstantiator instantiator) throws ExtensionException {
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

    private void bindAll() throws StartupException {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            LoadedConfig.Pipeline p = config.pipelines().get(i);
            List<ChannelFuture> binds = listeners.get(i).bind(transport);
            for (int j = 0; j < binds.size(); j++) {
                ChannelFuture bind = binds.get(j).awaitUninterruptibly();
                if (!bind.isSuccess()) {
                    String path = p.path() + ".listen" + (p.listen().size() > 1 ? "[" + j + "]" : "");
                    problems.add(path + ": cannot listen on " + p.listen().get(j) + ": " + bindFailure(bind.cause()));
                }
            }
        }
        if (config.admin().isPresent()) {
            admin = new AdminServer(config.admin().get(), adminResources());
            ChannelFuture bind = admin.bind(transport).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                problems.add("admin.listen: cannot listen on " + config.admin().get() + ": " + bindFailure(bind.cause()));
            }
        }
        if (!problems.isEmpty()) {
            throw new StartupException(problems);
        }
        healthCheckers.forEach(HealthChecker::start); // first: endpoints a discovery adds wait for their first check
        for (Discovery d : discoveries) {
            try {
                d.discovery().start(d.upstream()::discovered);
            } catch (RuntimeException e) {
                throw new StartupException(List.of("upstream " + d.upstream().name() + ": discovery failed to start: " + e));
            }
        }
        ready = true;
        logSummary();
    }

    private static String bindFailure(Throwable cause) {
        if (cause instanceof BindException || (cause != null && String.valueOf(cause.getMessage()).contains("in use"))) {
            return "the address is already in use";
        }
        return String.valueOf(cause);
    }

    private Map<String, AdminServer.Resource> adminResources() {
        ObjectMapper mapper = ConfigMapper.create();
        Map<String, AdminServer.Resource> resources = new LinkedHashMap<>();
        resources.put("/ready", new AdminServer.Resource("text/plain; charset=utf-8",
                () -> draining ? new AdminResponse(503, "draining\n") : ready ? AdminResponse.ok("ready\n") : new AdminResponse(503, "starting\n")));
        resources.put("/config", new AdminServer.Resource("application/json",
                () -> AdminResponse.ok(EffectiveConfig.toJson(config, mapper).toPrettyString() + "\n")));
        resources.put("/upstreams", new AdminServer.Resource("application/json",
                () -> AdminResponse.ok(UpstreamReport.json(mapper, upstreams).toPrettyString() + "\n")));
        resources.put("/plugins", new AdminServer.Resource("application/json",
                () -> AdminResponse.ok(PluginReport.json(mapper, plugins).toPrettyString() + "\n")));
        resources.put("/metrics", new AdminServer.Resource("text/plain; version=0.0.4; charset=utf-8",
                () -> AdminResponse.ok(metrics.scrape())));
        return resources;
    }

    private void logSummary() {
        log.info("plugins loaded: {}", plugins.plugins().stream()
                .map(p -> p.descriptor().id() + " " + p.descriptor().version()).collect(Collectors.joining(", ")));
        for (int i = 0; i < listeners.size(); i++) {
            LoadedConfig.Pipeline p = config.pipelines().get(i);
            log.info("pipeline {} listening on {} protocol {}{}{}", p.name(), String.join(", ",
                            listeners.get(i).boundAddresses().stream().map(Object::toString).toList()), p.protocol().type(),
                    p.filters().isEmpty() ? "" : " filters " + p.filters().stream().map(BoundExtension::type).toList(),
                    p.routes().isEmpty() ? "" : " to " + p.routes().stream().map(LoadedConfig.Route::upstream).distinct().toList());
        }
        for (LoadedConfig.Upstream u : config.upstreams()) {
            if (u.tls() != null) {
                log.info("upstream {}: TLS via {}", u.name(), u.tls().describe());
            }
        }
        if (admin != null) {
            log.info("admin listening on {}", admin.boundAddress());
        }
        long sinceStart = ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
        log.info("Junction ready in {} ms: {} pipelines, {} upstreams, transport {}", sinceStart, listeners.size(),
                config.upstreams().size(), transport.transport());
    }

    /** The admin endpoint's bound address, when there is one. */
    public Optional<java.net.InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::boundAddress);
    }

    /**
     * Drains: stops accepting on every pipeline, lets open connections finish for up to the
     * configured drain timeout, then closes whatever is left and stops.
     */
    public void drainAndClose() {
        draining = true;
        Duration timeout = config.drainTimeout();
        log.info("draining: no longer accepting; waiting up to {} ms for {} open connections", timeout.toMillis(),
                listeners.stream().mapToInt(PipelineListener::openConnections).sum());
        listeners.forEach(PipelineListener::stopAccepting);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && listeners.stream().mapToInt(PipelineListener::openConnections).sum() > 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = listeners.stream().mapToInt(PipelineListener::openConnections).sum();
        if (left > 0) {
            log.warn("drain timeout: closing {} connections still open", left);
        } else {
            log.info("drained: all connections finished");
        }
        close();
    }

    @Override
    public void close() {
        for (Discovery d : discoveries) {
            try {
                d.discovery().close();
            } catch (RuntimeException e) {
                log.warn("upstream {}: discovery did not close cleanly: {}", d.upstream().name(), e.toString());
            }
        }
        healthCheckers.forEach(HealthChecker::close);
        listeners.forEach(PipelineListener::closeAll);
        if (admin != null) {
            admin.close();
        }
        scheduler.shutdownNow();
        transport.close();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
