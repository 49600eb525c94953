package io.junction.runtime.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.discovery.DiscoveredEndpoint;
import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.EndpointRequest;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.UpstreamLimits.Resource;
import io.junction.runtime.config.CircuitBreakerSection;
import io.junction.runtime.config.OutlierDetectionSection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DefaultUpstreamTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private static final PickContext ANY = PickContext.forClient(null);

    /** Round-robin over the candidates, so tests see who was a candidate. */
    private static final class Rotation implements Balancer {
        final AtomicInteger next = new AtomicInteger();

        @Override
        public Endpoint pick(List<Endpoint> candidates, PickContext context) {
            return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
        }
    }

    private List<DefaultEndpoint> endpoints(int n) {
        List<DefaultEndpoint> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new DefaultEndpoint("u", "127.0.0." + i + ":80", new InetSocketAddress("127.0.0." + i, 80), 1, metrics));
        }
        return list;
    }

    private DefaultUpstream upstream(List<DefaultEndpoint> endpoints, DefaultUpstream.Policies policies) {
        return new DefaultUpstream("u", endpoints, new Rotation(), null, policies, metrics);
    }

    private static DefaultUpstream.Policies outliers(int errors, int gateway, Duration base, int maxPercent) {
        return new DefaultUpstream.Policies(new OutlierDetectionSection(errors, gateway, base, Duration.ofSeconds(60), maxPercent),
                CircuitBreakerSection.DEFAULT, null, 0, false);
    }

    private static void fail(Endpoint e, int times, boolean gateway) {
        for (int i = 0; i < times; i++) {
            EndpointRequest r = e.startRequest();
            if (gateway) {
                r.failed(EndpointRequest.Failure.RESET);
            } else {
                r.answered(false);
            }
            r.finish();
        }
    }

    private Map<String, Integer> spread(DefaultUpstream u, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            u.pick(ANY).ifPresent(e -> counts.merge(e.id(), 1, Integer::sum));
        }
        return counts;
    }

    @Test
    void consecutiveServerErrorsEjectAndTheEndpointReturnsAfterItsTime() {
        List<DefaultEndpoint> eps = endpoints(3);
        Duration base = Duration.ofSeconds(10); // far longer than the picks below take: no return while they run
        DefaultUpstream u = upstream(eps, outliers(3, 0, base, 50));
        fail(eps.get(0), 2, false);
        assertThat(eps.get(0).ejected()).as("two errors are below the threshold").isFalse();
        long before = System.nanoTime();
        fail(eps.get(0), 1, false);
        long after = System.nanoTime();
        assertThat(eps.get(0).ejected()).isTrue();
        long until = eps.get(0).ejectedUntilNanos();
        assertThat(until).as("ejected for the base time from the third error")
                .isBetween(before + base.toNanos(), after + base.toNanos());
        assertThat(spread(u, 60)).doesNotContainKey("127.0.0.1:80").containsEntry("127.0.0.2:80", 30);
        // its time, told rather than waited for
        assertThat(eps.get(0).ejectedAt(until - 1)).as("a nanosecond before its time is over").isTrue();
        assertThat(eps.get(0).ejectedAt(until)).as("its time is over").isFalse();
        assertThat(eps.get(0).ejected()).as("and it stays back").isFalse();
        assertThat(spread(u, 60)).containsEntry("127.0.0.1:80", 20);
    }

    @Test
    void aSuccessResetsTheCount() {
        List<DefaultEndpoint> eps = endpoints(2);
        upstream(eps, outliers(3, 0, Duration.ofSeconds(10), 50));
        fail(eps.get(0), 2, false);
        EndpointRequest ok = eps.get(0).startRequest();
        ok.answered(true);
        ok.finish();
        fail(eps.get(0), 2, false);
        assertThat(eps.get(0).ejected()).isFalse();
    }

    @Test
    void gatewayFailuresHaveTheirOwnLowerThresholdAndConnectFailuresCount() {
        List<DefaultEndpoint> eps = endpoints(2);
        upstream(eps, outliers(10, 2, Duration.ofSeconds(10), 50));
        eps.get(0).connectFailed(new java.net.ConnectException("refused"));
        assertThat(eps.get(0).ejected()).isFalse();
        fail(eps.get(0), 1, true);
        assertThat(eps.get(0).ejected()).isTrue();
    }

    @Test
    void repeatedEjectionsLastLonger() throws Exception {
        List<DefaultEndpoint> eps = endpoints(2);
        long base = Duration.ofMillis(100).toNanos();
        upstream(eps, outliers(1, 0, Duration.ofNanos(base), 50));
        // Each ejection ends at (the instant of the error) + its duration, that instant lying between two clock readings
        // around the failing request: the durations are told exactly, however long this thread was held up meanwhile.
        long before = System.nanoTime();
        fail(eps.get(0), 1, false);
        long after = System.nanoTime();
        long firstUntil = eps.get(0).ejectedUntilNanos();
        assertThat(firstUntil).as("first ejection: the base time").isBetween(before + base, after + base);
        Thread.sleep(150); // at least 150 ms: the first ejection (100 ms) is over
        assertThat(eps.get(0).ejected()).isFalse();
        before = System.nanoTime();
        fail(eps.get(0), 1, false);
        after = System.nanoTime();
        assertThat(eps.get(0).ejections()).isEqualTo(2);
        assertThat(eps.get(0).ejectedUntilNanos()).as("second ejection in a row: twice the base time")
                .isBetween(before + 2 * base, after + 2 * base);
    }

    @Test
    void maxEjectionPercentKeepsEndpointsInService() {
        List<DefaultEndpoint> eps = endpoints(4);
        upstream(eps, outliers(1, 0, Duration.ofSeconds(10), 50));
        eps.forEach(e -> fail(e, 1, false));
        assertThat(eps.stream().filter(Endpoint::ejected).count()).isEqualTo(2);
        assertThat(metrics.get("junction.upstream.endpoint.ejections.refused").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(2);
    }

    @Test
    void atLeastOneEndpointMayBeEjectedEvenAtZeroPercentOfFew() {
        List<DefaultEndpoint> eps = endpoints(3);
        upstream(eps, outliers(1, 0, Duration.ofSeconds(10), 10));
        eps.forEach(e -> fail(e, 1, false));
        assertThat(eps.stream().filter(Endpoint::ejected).count()).isEqualTo(1);
    }

    @Test
    void withAHealthCheckAnEjectedEndpointWaitsForAPassingCheck() throws Exception {
        List<DefaultEndpoint> eps = endpoints(2);
        upstream(eps, new DefaultUpstream.Policies(new OutlierDetectionSection(1, 0, Duration.ofMillis(50), Duration.ofSeconds(1), 50),
                CircuitBreakerSection.DEFAULT, null, 0, true));
        fail(eps.get(0), 1, false);
        Thread.sleep(100);
        assertThat(eps.get(0).ejected()).as("time is over but no check has passed yet").isTrue();
        eps.get(0).checkPassed("status 200");
        assertThat(eps.get(0).ejected()).isFalse();
    }

    @Test
    void noAvailableEndpointIsEmptyWithoutPanic() {
        List<DefaultEndpoint> eps = endpoints(2);
        DefaultUpstream u = upstream(eps, DefaultUpstream.Policies.NONE);
        eps.forEach(e -> e.healthy(false));
        assertThat(u.pick(ANY)).isEmpty();
    }

    @Test
    void belowThePanicThresholdAllEndpointsAreUsed() {
        List<DefaultEndpoint> eps = endpoints(4);
        DefaultUpstream u = upstream(eps, new DefaultUpstream.Policies(null, CircuitBreakerSection.DEFAULT, null, 50, false));
        eps.get(0).healthy(false);
        assertThat(spread(u, 30)).as("75% available: no panic").doesNotContainKey("127.0.0.1:80");
        eps.get(1).healthy(false);
        assertThat(spread(u, 30)).as("50% available: still no panic").hasSize(2);
        eps.get(2).healthy(false);
        assertThat(spread(u, 40)).as("25% available: panic, all four").hasSize(4);
        assertThat(metrics.get("junction.upstream.panic").counter().count()).isEqualTo(40);
    }

    @Test
    void aPreferredAvailableEndpointWinsAndAnUnavailableOneIsIgnored() {
        List<DefaultEndpoint> eps = endpoints(3);
        DefaultUpstream u = upstream(eps, DefaultUpstream.Policies.NONE);
        PickContext sticky = ANY.preferring(eps.get(2));
        for (int i = 0; i < 5; i++) {
            assertThat(u.pick(sticky)).contains(eps.get(2));
        }
        eps.get(2).healthy(false);
        assertThat(spread(u, 10)).doesNotContainKey("127.0.0.3:80");
        assertThat(u.pick(sticky)).isPresent().get().isNotEqualTo(eps.get(2));
        assertThat(u.pick(ANY.preferring(eps.get(0)).excluding(eps.get(0)))).get().isEqualTo(eps.get(1));
    }

    @Test
    void aRecoveredEndpointGetsAboutATenthOfItsShareAtFirst() {
        List<DefaultEndpoint> eps = endpoints(2);
        // A window far longer than the picks take, so the share stays at its floor of 10 % throughout.
        DefaultUpstream u = upstream(eps, new DefaultUpstream.Policies(null, CircuitBreakerSection.DEFAULT, Duration.ofMinutes(10), 0, false));
        eps.get(0).healthy(false);
        eps.get(0).healthy(true);
        int early = spread(u, 4000).getOrDefault("127.0.0.1:80", 0);
        // Weighted at a tenth beside a peer at full weight: 0.1 / 1.1 of the picks, about 364 of 4000 (sd about 18).
        assertThat(early).as("just recovered: weighted at a tenth").isBetween(290, 440);
    }

    @Test
    void theRampShareGrowsWithTheElapsedFractionOfTheWindow() {
        DefaultEndpoint ep = endpoints(1).get(0);
        long window = Duration.ofSeconds(10).toNanos();
        assertThat(ep.rampShare(window, System.nanoTime())).as("not ramping").isEqualTo(1.0);
        ep.healthy(false);
        long before = System.nanoTime();
        ep.healthy(true);
        long after = System.nanoTime();
        assertThat(ep.rampShare(window, after)).as("at once: the floor").isEqualTo(0.1);
        double tolerance = (double) (after - before) / window + 1e-9;
        assertThat(ep.rampShare(window, before + window / 2)).as("half-way").isBetween(0.5 - tolerance, 0.5 + tolerance);
        assertThat(ep.rampShare(window, before + window * 3 / 4)).as("three quarters").isBetween(0.75 - tolerance, 0.75 + tolerance);
        assertThat(ep.rampShare(window, after + window)).as("window over").isEqualTo(1.0);
        assertThat(ep.rampShare(window, after)).as("once over, the ramp stays over").isEqualTo(1.0);
    }

    @Test
    void afterTheSlowStartWindowARecoveredEndpointHasItsFullShare() throws Exception {
        List<DefaultEndpoint> eps = endpoints(2);
        DefaultUpstream u = upstream(eps, new DefaultUpstream.Policies(null, CircuitBreakerSection.DEFAULT, Duration.ofMillis(200), 0, false));
        eps.get(0).healthy(false);
        eps.get(0).healthy(true);
        Thread.sleep(300);
        assertThat(spread(u, 4000).get("127.0.0.1:80")).as("ramp over: round robin again").isEqualTo(2000);
    }

    @Test
    void circuitBreakerRefusesBeyondCapsAndRetriesFollowTheBudget() {
        DefaultUpstream u = new DefaultUpstream("u", endpoints(1), new Rotation(), null, new DefaultUpstream.Policies(null,
                new CircuitBreakerSection(2, null, 3, 10, 20, 1), null, 0, false), metrics);
        assertThat(u.limits().tryAcquire(Resource.CONNECTION)).isTrue();
        assertThat(u.limits().tryAcquire(Resource.CONNECTION)).isTrue();
        assertThat(u.limits().tryAcquire(Resource.CONNECTION)).isFalse();
        u.limits().release(Resource.CONNECTION);
        assertThat(u.limits().tryAcquire(Resource.CONNECTION)).isTrue();
        assertThat(u.limits().tryAcquire(Resource.RETRY)).as("min retry concurrency 1").isTrue();
        assertThat(u.limits().tryAcquire(Resource.RETRY)).as("20% of 0 requests, min 1").isFalse();
        u.limits().release(Resource.RETRY);
        assertThat(u.circuitBreaker().overflows(Resource.CONNECTION)).isEqualTo(1);
        assertThat(u.circuitBreaker().overflows(Resource.RETRY)).isEqualTo(1);
        assertThat(u.limits().tryAcquire(Resource.PENDING)).as("unlimited").isTrue();
    }

    @Test
    void discoveredSetsAreDiffedByIdAndNewEndpointsRamp() {
        List<DefaultEndpoint> statics = endpoints(1);
        DefaultUpstream u = new DefaultUpstream("u", statics, new Rotation(), null,
                new DefaultUpstream.Policies(null, CircuitBreakerSection.DEFAULT, Duration.ofSeconds(30), 0, false), metrics);
        List<DefaultEndpoint> added = new ArrayList<>();
        u.onEndpointAdded(added::add);
        DiscoveredEndpoint a = new DiscoveredEndpoint("svc:80/127.0.1.1", new InetSocketAddress("127.0.1.1", 80), 1);
        DiscoveredEndpoint b = new DiscoveredEndpoint("svc:80/127.0.1.2", new InetSocketAddress("127.0.1.2", 80), 1);
        u.discovered(List.of(a, b));
        assertThat(u.endpoints()).extracting(Endpoint::id).containsExactly("127.0.0.1:80", "svc:80/127.0.1.1", "svc:80/127.0.1.2");
        assertThat(added).hasSize(2);
        Endpoint keptA = u.endpoints().get(1);
        keptA.startRequest();
        u.discovered(List.of(a));
        assertThat(u.endpoints()).extracting(Endpoint::id).containsExactly("127.0.0.1:80", "svc:80/127.0.1.1");
        assertThat(u.endpoints().get(1)).as("kept with its state").isSameAs(keptA);
        assertThat(keptA.activeRequests()).isEqualTo(1);
        assertThat(added).hasSize(2);
        assertThat(((DefaultEndpoint) keptA).rampShare(Duration.ofSeconds(30).toNanos())).as("joined a non-empty upstream: ramps").isLessThan(1);
        u.discovered(List.of());
        assertThat(u.endpoints()).extracting(Endpoint::id).containsExactly("127.0.0.1:80");
    }

    @Test
    void anIdPublishedTwiceOrAlreadyConfiguredBecomesOneEndpoint() {
        List<DefaultEndpoint> statics = endpoints(1);
        DefaultUpstream u = upstream(statics, DefaultUpstream.Policies.NONE);
        DiscoveredEndpoint a = new DiscoveredEndpoint("svc:80/127.0.1.1", new InetSocketAddress("127.0.1.1", 80), 1);
        DiscoveredEndpoint clash = new DiscoveredEndpoint("127.0.0.1:80", new InetSocketAddress("127.0.9.9", 80), 1);
        u.discovered(List.of(a, a, clash));
        assertThat(u.endpoints()).extracting(Endpoint::id).containsExactly("127.0.0.1:80", "svc:80/127.0.1.1");
        assertThat(u.endpoints().get(0)).as("the configured endpoint stays").isSameAs(statics.get(0));
    }

    @Test
    void peakEwmaJumpsToSlowSamplesAndDecays() {
        List<DefaultEndpoint> eps = endpoints(1);
        assertThat(eps.get(0).latencyEwmaNanos()).as("unknown").isZero();
        eps.get(0).requestAnswered(true, 1_000_000, 1);
        assertThat(eps.get(0).latencyEwmaNanos(1)).isEqualTo(1_000_000);
        eps.get(0).requestAnswered(true, 50_000_000, 2);
        assertThat(eps.get(0).latencyEwmaNanos(2)).as("peak taken at once").isEqualTo(50_000_000);
        long later = 2 + Duration.ofSeconds(10).toNanos();
        assertThat(eps.get(0).latencyEwmaNanos(later)).as("unread for one decay time: decays towards 0 (1/e)")
                .isBetween(18_000_000L, 19_000_000L);
        eps.get(0).requestAnswered(true, 1_000_000, later);
        assertThat(eps.get(0).latencyEwmaNanos(later)).as("a fast sample after one decay time: about 1/e of the way back")
                .isBetween(18_000_000L, 20_000_000L);
    }

    @Test
    void aRequestTimedWithTheCallersReadingsHasExactlyTheirLatency() {
        DefaultEndpoint endpoint = endpoints(1).get(0);
        long start = System.nanoTime() - 1_000_000_000L; // readings the caller took, not the clock now
        EndpointRequest request = endpoint.startRequest(start);
        assertThat(endpoint.activeRequests()).isEqualTo(1);
        request.answered(true, start + 7_000_000);
        assertThat(endpoint.latencyEwmaNanos(start + 7_000_000)).isEqualTo(7_000_000);
        request.answered(false, start + 90_000_000); // answered once: later answers are ignored
        assertThat(endpoint.latencyEwmaNanos(start + 7_000_000)).isEqualTo(7_000_000);
        request.finish();
        assertThat(endpoint.activeRequests()).isZero();
    }
}
