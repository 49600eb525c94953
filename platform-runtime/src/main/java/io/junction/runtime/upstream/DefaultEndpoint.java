package io.junction.runtime.upstream;

import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.EndpointRequest;
import io.junction.runtime.metrics.ConnectionTimers;
import io.junction.runtime.transport.ByteCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An endpoint with its live state — health (active checks), ejection (outlier detection),
 * slow-start ramp, open connections, requests in flight and latency — exported as metrics.
 */
public final class DefaultEndpoint implements Endpoint {

    /** The name of the byte counter in each connection's pipeline. */
    static final String TRAFFIC = "junction-endpoint-traffic";
    /** {@link #rampFrom} when the endpoint is not ramping. */
    private static final long NO_RAMP = Long.MIN_VALUE;
    private static final long EWMA_DECAY = TimeUnit.SECONDS.toNanos(10);

    private final String id;
    private final InetSocketAddress address;
    private final int weight;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger consecutiveErrors = new AtomicInteger();
    private final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
    private final PeakEwma latency = new PeakEwma(EWMA_DECAY);
    private final MeterRegistry metrics;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter total;
    private final Counter connectFailures;
    private final Counter bytesSent;
    private final Counter bytesReceived;
    private final Timer duration;
    private final Counter answered;
    private final Counter serverErrors;
    private final Counter resets;
    private final Counter timeouts;
    private final Counter ejectionCount;
    private final Counter ejectionsRefused;
    private volatile OutlierDetector outliers;
    private volatile boolean healthy = true;
    private volatile boolean ejected;
    private volatile long ejectedUntil;
    private volatile boolean awaitingCheck;
    private volatile int ejections;
    private volatile long inServiceFrom = System.nanoTime();
    private volatile long rampFrom = NO_RAMP;
    private volatile String lastCheck;
    private volatile boolean removed;

    public DefaultEndpoint(String upstream, String id, InetSocketAddress address, int weight, MeterRegistry metrics) {
        this.id = id;
        this.address = address;
        this.weight = weight;
        this.metrics = metrics;
        Tags tags = Tags.of("upstream", upstream, "endpoint", id);
        meters.add(Gauge.builder("junction.upstream.endpoint.connections.active", active, AtomicInteger::get)
                .description("Open connections to the endpoint").tags(tags).register(metrics));
        meters.add(Gauge.builder("junction.upstream.endpoint.requests.active", activeRequests, AtomicInteger::get)
                .description("Requests, calls or queries in flight to the endpoint").tags(tags).register(metrics));
        meters.add(Gauge.builder("junction.upstream.endpoint.healthy", this, e -> e.healthy ? 1 : 0)
                .description("1 when the endpoint passes its health check").tags(tags).register(metrics));
        meters.add(Gauge.builder("junction.upstream.endpoint.ejected", this, e -> e.ejected() ? 1 : 0)
                .description("1 while outlier detection keeps the endpoint out").tags(tags).register(metrics));
        meters.add(Gauge.builder("junction.upstream.endpoint.latency.ewma", this, e -> e.latencyEwmaNanos() / 1e9)
                .description("Peak-EWMA response latency of the endpoint").baseUnit("seconds").tags(tags).register(metrics));
        this.total = counter("junction.upstream.endpoint.connections", "Connections opened to the endpoint", tags);
        this.connectFailures = counter("junction.upstream.endpoint.connect.failures", "Failed attempts to connect to the endpoint", tags);
        this.bytesSent = register(Counter.builder("junction.upstream.endpoint.sent.bytes").description("Bytes sent to the endpoint")
                .baseUnit("bytes").tags(tags).register(metrics));
        this.bytesReceived = register(Counter.builder("junction.upstream.endpoint.received.bytes")
                .description("Bytes received from the endpoint").baseUnit("bytes").tags(tags).register(metrics));
        this.duration = register(ConnectionTimers.register("junction.upstream.endpoint.connection.duration",
                "How long connections to the endpoint stayed open", tags, metrics));
        String outcomes = "junction.upstream.endpoint.requests";
        String outcomeHelp = "Requests to the endpoint by outcome";
        this.answered = counter(outcomes, outcomeHelp, tags.and("outcome", "answered"));
        this.serverErrors = counter(outcomes, outcomeHelp, tags.and("outcome", "server_error"));
        this.resets = counter(outcomes, outcomeHelp, tags.and("outcome", "reset"));
        this.timeouts = counter(outcomes, outcomeHelp, tags.and("outcome", "timeout"));
        this.ejectionCount = counter("junction.upstream.endpoint.ejections", "Times outlier detection ejected the endpoint", tags);
        this.ejectionsRefused = counter("junction.upstream.endpoint.ejections.refused",
                "Ejections not made because maxEjectionPercent endpoints were already out", tags);
    }

    private Counter counter(String name, String description, Tags tags) {
        return register(Counter.builder(name).description(description).tags(tags).register(metrics));
    }

    private <M extends Meter> M register(M meter) {
        meters.add(meter);
        return meter;
    }

    void outlierDetector(OutlierDetector detector) {
        this.outliers = detector;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    void healthy(boolean healthy) {
        boolean was = this.healthy;
        this.healthy = healthy;
        if (healthy && !was) {
            returnToService(System.nanoTime());
        }
    }

    /** Healthy and not ejected: a candidate for the balancer. */
    boolean available() {
        return healthy && !ejected();
    }

    @Override
    public boolean ejected() {
        return ejected && ejectedAt(System.nanoTime());
    }

    /** Whether the endpoint is ejected at {@code now}; ends an ejection whose time is over (unless it waits for a check). */
    boolean ejectedAt(long now) {
        if (!ejected) {
            return false;
        }
        if (now - ejectedUntil < 0 || awaitingCheck) {
            return true;
        }
        synchronized (this) {
            if (ejected && !awaitingCheck) {
                ejected = false;
                returnToService(ejectedUntil);
            }
        }
        return false;
    }

    synchronized void eject(long until, int times, boolean untilCheckPasses) {
        ejections = times;
        ejectedUntil = until;
        awaitingCheck = untilCheckPasses;
        ejected = true;
        consecutiveErrors.set(0);
        consecutiveGatewayFailures.set(0);
        ejectionCount.increment();
    }

    void ejectionRefused() {
        ejectionsRefused.increment();
    }

    int ejections() {
        return ejections;
    }

    /** How long the endpoint has been in service (neither ejected nor unhealthy) at {@code now}. */
    long inServiceSince(long now) {
        return now - inServiceFrom;
    }

    /** A health check passed: ends an ejection that was only waiting for it. */
    synchronized void checkPassed(String detail) {
        lastCheck = "pass: " + detail;
        long now = System.nanoTime();
        if (ejected && awaitingCheck && now - ejectedUntil >= 0) {
            awaitingCheck = false;
            ejected = false;
            returnToService(now);
        }
    }

    void checkFailed(String detail) {
        lastCheck = "fail: " + detail;
    }

    String lastCheck() {
        return lastCheck;
    }

    long ejectedUntilNanos() {
        return ejectedUntil;
    }

    private void returnToService(long at) {
        inServiceFrom = at;
        rampFrom = at;
    }

    /** Starts the slow-start ramp now (an endpoint discovery added). */
    void startRamp() {
        rampFrom = System.nanoTime();
    }

    /**
     * The share of picks this endpoint keeps during slow start: 1 when it is not ramping,
     * otherwise the elapsed fraction of {@code windowNanos}, at least 0.1.
     */
    double rampShare(long windowNanos) {
        return rampShare(windowNanos, System.nanoTime());
    }

    /** {@link #rampShare(long)} as of {@code now} (a {@link System#nanoTime()} reading). */
    double rampShare(long windowNanos, long now) {
        long from = rampFrom;
        if (from == NO_RAMP) {
            return 1;
        }
        long elapsed = now - from;
        if (elapsed >= windowNanos) {
            rampFrom = NO_RAMP;
            return 1;
        }
        return Math.max(0.1, (double) Math.max(0, elapsed) / windowNanos);
    }

    @Override
    public int activeConnections() {
        return active.get();
    }

    @Override
    public int activeRequests() {
        return activeRequests.get();
    }

    @Override
    public long latencyEwmaNanos() {
        return latency.nanos(System.nanoTime());
    }

    long latencyEwmaNanos(long at) {
        return latency.nanos(at);
    }

    @Override
    public EndpointRequest startRequest() {
        return startRequest(System.nanoTime());
    }

    @Override
    public EndpointRequest startRequest(long nanoTime) {
        activeRequests.incrementAndGet();
        return new TrackedRequest(this, nanoTime);
    }

    void requestAnswered(boolean success, long latencyNanos, long now) {
        latency.record(latencyNanos, now);
        if (success) {
            answered.increment();
            if (consecutiveErrors.get() != 0) { // no write (and no cache-line traffic) in the usual case
                consecutiveErrors.set(0);
            }
            if (consecutiveGatewayFailures.get() != 0) {
                consecutiveGatewayFailures.set(0);
            }
        } else {
            serverErrors.increment();
            error(consecutiveErrors.incrementAndGet(), consecutiveGatewayFailures.get(), "server error");
        }
    }

    void requestFailed(EndpointRequest.Failure failure) {
        (failure == EndpointRequest.Failure.TIMEOUT ? timeouts : resets).increment();
        gatewayFailure(failure == EndpointRequest.Failure.TIMEOUT ? "timeout" : "reset");
    }

    void requestFinished() {
        activeRequests.decrementAndGet();
    }

    private void gatewayFailure(String what) {
        error(consecutiveErrors.incrementAndGet(), consecutiveGatewayFailures.incrementAndGet(), what);
    }

    private void error(int errors, int gatewayFailures, String what) {
        OutlierDetector detector = outliers;
        if (detector != null) {
            detector.failed(this, errors, gatewayFailures, what);
        }
    }

    @Override
    public void track(Channel connection) {
        active.incrementAndGet();
        total.increment();
        connection.pipeline().addFirst(TRAFFIC, new ByteCounter(bytesReceived, bytesSent));
        long start = System.nanoTime();
        connection.closeFuture().addListener(f -> {
            active.decrementAndGet();
            duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public void connectFailed(Throwable cause) {
        connectFailures.increment();
        gatewayFailure("connect failed: " + (cause == null ? "unknown" : cause.getMessage()));
    }

    /** A discovery dropped the endpoint: its checks stop and its meters go. */
    void remove() {
        removed = true;
        meters.forEach(metrics::remove);
    }

    boolean removed() {
        return removed;
    }

    @Override
    public String toString() {
        return id;
    }
}
