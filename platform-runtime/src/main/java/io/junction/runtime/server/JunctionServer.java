package io.junction.runtime.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.junction.runtime.admin.AdminServer;
import io.junction.runtime.admin.AdminServer.AdminResponse;
import io.junction.runtime.config.BoundExtension;
import io.junction.runtime.config.ConfigException;
import io.junction.runtime.config.ConfigLoader;
import io.junction.runtime.config.ConfigMapper;
import io.junction.runtime.config.EffectiveConfig;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.listener.ListenSockets;
import io.junction.runtime.listener.PipelineListener;
import io.junction.runtime.plugin.PluginReport;
import io.junction.runtime.plugin.PluginSet;
import io.junction.runtime.transport.Transport;
import io.junction.runtime.upstream.UpstreamReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Junction: event loops, the listening sockets, the admin endpoint and the current
 * {@link Generation} (upstreams, health checkers, pipelines) built from a {@link LoadedConfig} and
 * the loaded plugins. A reload builds the next generation and retires the current one.
 */
public final class JunctionServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JunctionServer.class);

    /** What a reload did: {@code message} is a one-line summary, or the errors of a config left unused. */
    public record ReloadResult(boolean success, String message) {
    }

    private final PluginSet plugins;
    private final Transport transport;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("junction-scheduler"));
    /** Reloads run here, one at a time, never on an event loop. */
    private final ExecutorService reloader = Executors.newSingleThreadExecutor(daemon("junction-reload"));
    private final ListenSockets sockets;
    private final Set<Generation> retiring = ConcurrentHashMap.newKeySet();
    private final Counter reloadsSucceeded;
    private final Counter reloadsFailed;
    private volatile Generation current;
    /** The generation that gauges registered now belong to: the one being built, else the current one. */
    private volatile Generation collecting;
    private AdminServer admin;
    private volatile boolean ready;
    private volatile boolean draining;

    private JunctionServer(PluginSet plugins, Transport transport) {
        this.plugins = plugins;
        this.transport = transport;
        this.sockets = new ListenSockets(transport);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        metrics.config().onMeterAdded(meter -> {
            Generation generation = collecting;
            if (generation != null && meter instanceof Gauge gauge) {
                generation.registered(gauge);
            }
        });
        String help = "Config reloads (SIGHUP or POST /reload) by result; a failed one changed nothing";
        reloadsSucceeded = Counter.builder("junction.config.reloads").description(help).tag("result", "success").register(metrics);
        reloadsFailed = Counter.builder("junction.config.reloads").description(help).tag("result", "failure").register(metrics);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Builds and starts everything; on any failure, closes what was started and reports every problem. */
    public static JunctionServer start(LoadedConfig config, PluginSet plugins, int eventLoops) throws StartupException {
        JunctionServer server = new JunctionServer(plugins, Transport.start(eventLoops, true));
        try {
            server.install(config);
            server.bindAdmin(config);
        } catch (StartupException | RuntimeException e) {
            server.close();
            throw e;
        }
        server.ready = true;
        server.logSummary();
        return server;
    }

    /** Builds every extension the config names, as {@link #start} would, but binds no port. */
    public static void check(LoadedConfig config, PluginSet plugins) throws StartupException {
        try (JunctionServer server = new JunctionServer(plugins, Transport.start(1, false))) {
            new Generation(config).build(server.metrics, server.transport, server.scheduler);
        }
    }

    /**
     * Builds a generation from {@code config}, binds the addresses it adds, starts its health checks
     * and discoveries, then makes it current in one step; the previous generation is retired. On any
     * failure the new generation is closed and nothing else has changed.
     */
    private void install(LoadedConfig config) throws StartupException {
        Generation old = current;
        Generation next = new Generation(config);
        if (old != null) {
            old.removeGauges(metrics); // the same names and tags are about to be registered by the next one
        }
        collecting = next;
        List<String> problems = new ArrayList<>();
        ListenSockets.Binding binding = null;
        try {
            next.build(metrics, transport, scheduler);
            binding = sockets.bind(next.wanted(), problems);
            if (!problems.isEmpty()) {
                throw new StartupException(problems);
            }
            next.start();
        } catch (StartupException | RuntimeException e) {
            if (binding != null) {
                sockets.abort(binding);
            }
            next.close();
            next.removeGauges(metrics);
            collecting = old;
            if (old != null) {
                old.restoreGauges(metrics);
            }
            throw e;
        }
        sockets.commit(binding);
        current = next;
        for (int i = 0; i < config.pipelines().size(); i++) {
            LoadedConfig.Pipeline p = config.pipelines().get(i);
            PipelineListener listener = next.listeners().get(i);
            if (listener.describeTls() != null) {
                log.info("pipeline {}: TLS via {}", p.name(), listener.describeTls());
            }
            log.info("pipeline {} listening on {} protocol {}{}{}", p.name(), binding.addressesOf(listener).stream()
                            .map(Object::toString).collect(Collectors.joining(", ")), p.protocol().type(),
                    p.filters().isEmpty() ? "" : " filters " + p.filters().stream().map(BoundExtension::type).toList(),
                    p.routes().isEmpty() ? "" : " to " + p.routes().stream().map(LoadedConfig.Route::upstream).distinct().toList());
        }
        for (LoadedConfig.Upstream u : config.upstreams()) {
            if (u.tls() != null) {
                log.info("upstream {}: TLS via {}", u.name(), u.tls().describe());
            }
        }
        if (old != null) {
            retire(old, config.drainTimeout());
        }
    }

    /** Drains the old generation like a stop does, on its own thread, then closes it. */
    private void retire(Generation old, Duration timeout) {
        retiring.add(old);
        Thread thread = new Thread(() -> {
            int left = -1;
            try {
                old.drain();
                left = awaitClosed(List.of(old), timeout);
                if (left > 0) {
                    log.warn("previous config: drain timeout, closing {} connections still open", left);
                }
            } catch (RuntimeException e) {
                log.warn("previous config did not drain cleanly; closing it", e);
            } finally {
                old.close();
                retiring.remove(old);
            }
            log.info("previous config retired{}", left == 0 ? ": all its connections finished" : "");
        }, "junction-retire");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Re-reads the config file the server was started with and installs it, on the reload thread.
     * An invalid config, an extension that fails to build or an address that cannot be bound
     * changes nothing; the errors are logged and returned.
     */
    public CompletableFuture<ReloadResult> reload() {
        CompletableFuture<ReloadResult> result = new CompletableFuture<>();
        try {
            reloader.execute(() -> result.complete(reloadNow()));
        } catch (RejectedExecutionException e) {
            result.complete(new ReloadResult(false, "stopping: no reload"));
        }
        return result;
    }

    private ReloadResult reloadNow() {
        if (draining) {
            return new ReloadResult(false, "stopping: no reload");
        }
        String file = current.config().source();
        log.info("reload requested: reading {}", file);
        String errors;
        try {
            LoadedConfig config = new ConfigLoader(plugins.extensions()).load(Path.of(file));
            int previous = current.openConnections();
            install(config);
            reloadsSucceeded.increment();
            if (!config.admin().equals(Optional.ofNullable(admin).map(AdminServer::address))) {
                log.warn("admin.listen changed: the admin endpoint stays on {} until Junction restarts",
                        admin == null ? "(none)" : admin.boundAddress());
            }
            String summary = "reloaded " + file + ": " + config.pipelines().size() + " pipelines, "
                    + config.upstreams().size() + " upstreams; the previous config drains " + previous + " connections";
            log.info(summary);
            return new ReloadResult(true, summary);
        } catch (ConfigException e) {
            errors = e.getMessage();
        } catch (StartupException e) {
            errors = e.problems().stream().map(p -> file + ": " + p).collect(Collectors.joining("\n"));
        } catch (RuntimeException e) {
            log.error("reload of {} failed", file, e);
            errors = file + ": " + e;
        }
        reloadsFailed.increment();
        log.error("reload failed; the config in force is unchanged:\n{}", errors);
        return new ReloadResult(false, errors);
    }

    private void bindAdmin(LoadedConfig config) throws StartupException {
        if (config.admin().isEmpty()) {
            return;
        }
        admin = new AdminServer(config.admin().get(), adminResources(), Map.of("/reload", this::adminReload));
        ChannelFuture bind = admin.bind(transport).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new StartupException(List.of("admin.listen: cannot listen on " + config.admin().get() + ": "
                    + (String.valueOf(bind.cause()).contains("in use") ? "the address is already in use" : bind.cause())));
        }
    }

    private CompletableFuture<AdminResponse> adminReload() {
        return reload().thenApply(r -> new AdminResponse(r.success() ? 200 : draining ? 503 : 400, r.message() + "\n"));
    }

    private Map<String, AdminServer.Resource> adminResources() {
        ObjectMapper mapper = ConfigMapper.create();
        Map<String, AdminServer.Resource> resources = new LinkedHashMap<>();
        resources.put("/ready", new AdminServer.Resource("text/plain; charset=utf-8",
                () -> draining ? new AdminResponse(503, "draining\n") : ready ? AdminResponse.ok("ready\n") : new AdminResponse(503, "starting\n")));
        resources.put("/config", new AdminServer.Resource("application/json",
                () -> AdminResponse.ok(EffectiveConfig.toJson(current.config(), mapper).toPrettyString() + "\n")));
        resources.put("/upstreams", new AdminServer.Resource("application/json",
                () -> AdminResponse.ok(UpstreamReport.json(mapper, current.upstreams()).toPrettyString() + "\n")));
        resources.put("/plugins", new AdminServer.Resource("application/json",
                () -> AdminResponse.ok(PluginReport.json(mapper, plugins).toPrettyString() + "\n")));
        resources.put("/metrics", new AdminServer.Resource("text/plain; version=0.0.4; charset=utf-8",
                () -> AdminResponse.ok(metrics.scrape())));
        return resources;
    }

    private void logSummary() {
        log.info("plugins loaded: {}", plugins.plugins().stream()
                .map(p -> p.descriptor().id() + " " + p.descriptor().version()).collect(Collectors.joining(", ")));
        if (admin != null) {
            log.info("admin listening on {}", admin.boundAddress());
        }
        long sinceStart = ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
        log.info("Junction ready in {} ms: {} pipelines, {} upstreams, transport {}", sinceStart, current.listeners().size(),
                current.config().upstreams().size(), transport.transport());
    }

    /** The admin endpoint's bound address, when there is one. */
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::boundAddress);
    }

    /**
     * Drains: stops accepting on every pipeline, lets open connections — of the current config and
     * of configs a reload replaced and that are still draining — finish for up to the current drain
     * timeout, then closes whatever is left and stops.
     */
    public void drainAndClose() {
        draining = true;
        reloader.shutdown();
        try {
            reloader.awaitTermination(30, TimeUnit.SECONDS); // a reload under way finishes first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Generation now = current;
        List<Generation> all = new ArrayList<>(retiring);
        all.add(now);
        Duration timeout = now.config().drainTimeout();
        log.info("draining: no longer accepting; waiting up to {} ms for {} open connections", timeout.toMillis(),
                all.stream().mapToInt(Generation::openConnections).sum());
        sockets.closeAll();
        now.drain();
        int left = awaitClosed(all, timeout);
        if (left > 0) {
            log.warn("drain timeout: closing {} connections still open", left);
        } else {
            log.info("drained: all connections finished");
        }
        close();
    }

    /** Waits until the generations have no open connection or the timeout ends; returns how many are left. */
    private static int awaitClosed(List<Generation> generations, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && generations.stream().mapToInt(Generation::openConnections).sum() > 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return generations.stream().mapToInt(Generation::openConnections).sum();
    }

    @Override
    public void close() {
        reloader.shutdownNow();
        sockets.closeAll();
        retiring.forEach(Generation::close);
        if (current != null) {
            current.close();
        }
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
