package io.junction.plugin.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@code http} pipeline's meters: requests by route, upstream and status class, latency, body bytes
 * both ways, errors by reason, active requests, and backend connections opened and reused (the pool's
 * reuse rate).
 */
final class HttpMetrics {

    /** The route and upstream tag of requests that never reached one (no route, a malformed request). */
    static final String NO_UPSTREAM = "none";

    private final String pipeline;
    private final MeterRegistry registry;
    private final AtomicInteger tunnels = new AtomicInteger();
    private final RouteMeters[] routeMeters;
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> opened = new ConcurrentHashMap<>();
    private final Map<String, Counter> reused = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> idle = new ConcurrentHashMap<>();
    private final AtomicInteger http2Connections = new AtomicInteger();
    private final Counter http2Streams;
    private final Map<String, Counter> http2Frames = new ConcurrentHashMap<>();

    HttpMetrics(String pipeline, MeterRegistry registry, HttpRoutes routes) {
        this.pipeline = pipeline;
        this.registry = registry;
        List<HttpRoutes.Compiled> all = routes.all();
        this.routeMeters = new RouteMeters[all.size() + 1];
        for (HttpRoutes.Compiled route : all) {
            String upstream = route.upstream() == null ? NO_UPSTREAM : route.upstream().name();
            routeMeters[route.index()] = new RouteMeters(route.name(), upstream, true);
        }
        routeMeters[all.size()] = new RouteMeters(NO_UPSTREAM, NO_UPSTREAM, false); // a request no route took is never active
        for (HttpRoutes.Compiled route : all) { // gauges now, while the runtime counts them as this config's (reloads)
            if (route.upstream() != null) {
                idleBackendConnections(route.upstream().name());
            }
        }
        Gauge.builder("junction.http.tunnels.active", tunnels, AtomicInteger::get)
                .description("Upgraded (WebSocket) connections open now").tags("pipeline", pipeline).register(registry);
        Gauge.builder("junction.http2.connections.active", http2Connections, AtomicInteger::get)
                .description("HTTP/2 client connections open now").tags("pipeline", pipeline).register(registry);
        http2Streams = Counter.builder("junction.http2.streams").description("HTTP/2 streams clients opened")
                .tags("pipeline", pipeline).register(registry);
    }

    /** The pipeline these meters are of. */
    String pipeline() {
        return pipeline;
    }

    /** The count of {@code upstream}'s idle pooled backend connections (all event loops), a gauge. */
    AtomicInteger idleBackendConnections(String upstream) {
        AtomicInteger count = idle.get(upstream);
        return count != null ? count : idle.computeIfAbsent(upstream, k -> {
            AtomicInteger created = new AtomicInteger();
            Gauge.builder("junction.http.backend.connections.idle", created, AtomicInteger::get)
                    .description("Idle pooled backend connections (the pool's size)").tags("pipeline", pipeline, "upstream", upstream)
                    .register(registry);
            return created;
        });
    }

    void tunnelOpened() {
        tunnels.incrementAndGet();
    }

    void tunnelClosed() {
        tunnels.decrementAndGet();
    }

    /** A route took the request: it is active under that route until finished or abandoned. */
    void routed(HttpRoutes.Compiled route) {
        meters(route).active.incrementAndGet();
    }

    /**
     * One request answered (by a backend or by Junction), with its status and time from request head
     * to response end; {@code route} null for a request no route took (or one refused before routing).
     */
    void finished(HttpRoutes.Compiled route, int status, long nanos) {
        RouteMeters meters = meters(route);
        if (route != null) {
            meters.active.decrementAndGet();
        }
        meters.record(status, nanos);
    }

    /**
     * Body bytes of one exchange: {@code received} from the client (the request body as read), {@code sent}
     * to it (the response body as written, before any chunk framing). Counted for cut exchanges too.
     */
    void bodyBytes(HttpRoutes.Compiled route, long received, long sent) {
        RouteMeters meters = meters(route);
        if (received > 0) {
            meters.received.increment(received);
        }
        if (sent > 0) {
            meters.sent.increment(sent);
        }
    }

    private RouteMeters meters(HttpRoutes.Compiled route) {
        return routeMeters[route == null ? routeMeters.length - 1 : route.index()];
    }

    /** The request meters of one route (and its upstream), built at start. */
    private final class RouteMeters {

        private final Tags tags;
        private final Counter[] byClass = new Counter[6];
        private final Timer latency;
        private final Counter received;
        private final Counter sent;
        private final AtomicInteger active = new AtomicInteger();

        /** @param routed whether requests are counted as active here (not under no route: no gauge stuck at 0) */
        RouteMeters(String route, String upstream, boolean routed) {
            this.tags = Tags.of("pipeline", pipeline, "route", route, "upstream", upstream);
            if (routed) {
                Gauge.builder("junction.http.requests.active", active, AtomicInteger::get)
                        .description("Requests being proxied now, by route and upstream").tags(tags).register(registry);
            }
            this.received = Counter.builder("junction.http.request.body.bytes").baseUnit("bytes")
                    .description("Request body bytes received from clients and proxied, by route and upstream").tags(tags).register(registry);
            this.sent = Counter.builder("junction.http.response.body.bytes").baseUnit("bytes")
                    .description("Response body bytes proxied from backends to clients (not Junction's own answers), by route and upstream").tags(tags).register(registry);
            this.latency = Timer.builder("junction.http.request.duration")
                    .description("Time from a request's head to the end of its response")
                    .tags(tags).publishPercentileHistogram().register(registry);
        }

        void record(int status, long nanos) {
            int statusClass = Math.max(1, Math.min(5, status / 100));
            Counter counter = byClass[statusClass];
            if (counter == null) {
                counter = Counter.builder("junction.http.requests").description("Requests answered, by route, upstream and status class")
                        .tags(tags.and("status", statusClass + "xx")).register(registry);
                byClass[statusClass] = counter;
            }
            counter.increment();
            latency.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A request that ended without a complete response (client gone, backend cut a response short). */
    void abandoned(HttpRoutes.Compiled route) {
        if (route != null) {
            meters(route).active.decrementAndGet();
        }
    }

    /** An error Junction answered or acted on, by the reason in its x-junction-error header. */
    void error(String reason) {
        errors.computeIfAbsent(reason, k -> Counter.builder("junction.http.errors")
                .description("Requests Junction answered with an error, or cut, by reason")
                .tags("pipeline", pipeline, "reason", reason).register(registry)).increment();
    }

    void backendOpened(String upstream) {
        opened.computeIfAbsent(upstream, k -> Counter.builder("junction.http.backend.connections.opened")
                .description("Backend connections opened").tags("pipeline", pipeline, "upstream", upstream)
                .register(registry)).increment();
    }

    void backendReused(String upstream) {
        UpstreamCounter last = lastReused; // usually the same upstream as last time: no map lookup
        if (last == null || last.upstream() != upstream) {
            last = new UpstreamCounter(upstream, reused.computeIfAbsent(upstream, k -> Counter.builder("junction.http.backend.connections.reused")
                    .description("Requests sent on a pooled backend connection").tags("pipeline", pipeline, "upstream", upstream)
                    .register(registry)));
            lastReused = last;
        }
        last.counter().increment();
    }

    /** An upstream's counter, compared by the identity of the upstream's name. */
    private record UpstreamCounter(String upstream, Counter counter) {
    }

    /** The counter {@link #backendReused} used last; racy between event loops, which only costs a lookup. */
    private UpstreamCounter lastReused;

    void http2ConnectionOpened() {
        http2Connections.incrementAndGet();
    }

    void http2ConnectionClosed() {
        http2Connections.decrementAndGet();
    }

    void http2StreamOpened() {
        http2Streams.increment();
    }

    /** A GOAWAY or RST_STREAM Junction sent a client, by its error code: the HTTP/2 defences that fired. */
    void http2Sent(String frame, String code) {
        http2Frames.computeIfAbsent(frame + " " + code, k -> Counter.builder("junction.http2.frames.sent")
                .description("GOAWAY and RST_STREAM frames sent to clients, by error code")
                .tags("pipeline", pipeline, "frame", frame, "code", code).register(registry)).increment();
    }
}
