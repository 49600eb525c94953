package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class P2cBalancerTest {

    private final Balancer balancer = new P2cBalancer(new P2cConfig(null, null), Picks.seeded(3));
    private final Balancer peakEwma = new P2cBalancer(new P2cConfig(true, null), Picks.seeded(4));

    @Test
    void ofTwoPicksTheLessLoaded() {
        TestEndpoint idle = TestEndpoint.of("idle", 1).withRequests(0);
        TestEndpoint busy = TestEndpoint.of("busy", 1).withRequests(3);

        assertThat(Picks.picks(balancer, List.of(idle, busy), 100)).containsOnly(idle);
    }

    @Test
    void neverPicksTheMostLoadedAndPrefersTheLeast() {
        TestEndpoint least = TestEndpoint.of("least", 1).withRequests(0);
        TestEndpoint middle = TestEndpoint.of("middle", 1).withRequests(4);
        TestEndpoint most = TestEndpoint.of("most", 1).withRequests(9);

        Map<Endpoint, Long> counts = Picks.counts(Picks.picks(balancer, List.of(least, middle, most), 30_000));

        // least is in 2 of the 3 pairs, middle wins the third
        assertThat(counts).doesNotContainKey(most);
        assertThat(counts.get(least) / 30_000.0).isCloseTo(2 / 3.0, offset(0.01));
    }

    @Test
    void loadIsPerUnitOfWeight() {
        // (3 + 1) / 4 = 1 against (1 + 1) / 1 = 2
        TestEndpoint heavy = TestEndpoint.of("heavy", 4).withRequests(3);
        TestEndpoint light = TestEndpoint.of("light", 1).withRequests(1);

        assertThat(Picks.picks(balancer, List.of(heavy, light), 50)).containsOnly(heavy);
    }

    @Test
    void sharesFollowTheWeightsWhileRequestsStayOpen() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        List<Endpoint> sequence = Picks.picksKeepingRequestsOpen(balancer, endpoints, 80_000);

        // loads stay within a request or two of each other, so shares are weights to ±0.1 points
        Picks.assertSharesFollowWeights(sequence, endpoints, 0.001);
    }

    @Test
    void sharesFollowAWeightChange() {
        TestEndpoint ramping = TestEndpoint.of("ramping", 1);
        TestEndpoint steady = TestEndpoint.of("steady", 10);
        List<TestEndpoint> both = List.of(ramping, steady);

        assertThat(Picks.share(Picks.picksKeepingRequestsOpen(balancer, both, 11_000), ramping)).isCloseTo(1 / 11.0, offset(0.001));
        ramping.withWeight(10);
        List<Endpoint> after = Picks.picksKeepingRequestsOpen(balancer, both, 11_000);
        assertThat(Picks.counts(after).get(ramping)).isBetween(9_998L, 10_002L);
    }

    @Test
    void peakEwmaAvoidsASlowEndpoint() {
        List<TestEndpoint> endpoints = threeFastOneSlow();
        TestEndpoint slow = endpoints.get(3);

        // idle: the slow one loses every comparison
        assertThat(Picks.picks(peakEwma, endpoints, 10_000)).doesNotContain(slow);
        // with requests piling up it gets work only once the fast ones carry ~100 times its load
        assertThat(Picks.share(Picks.picksKeepingRequestsOpen(peakEwma, endpoints, 30_000), slow)).isLessThan(0.01);
        // where plain p2c gives it a quarter
        List<TestEndpoint> plain = threeFastOneSlow();
        assertThat(Picks.share(Picks.picksKeepingRequestsOpen(balancer, plain, 30_000), plain.get(3))).isCloseTo(0.25, offset(0.001));
    }

    private static List<TestEndpoint> threeFastOneSlow() {
        return List.of(
                TestEndpoint.of("fast1", 1).withLatencyMillis(2),
                TestEndpoint.of("fast2", 1).withLatencyMillis(2),
                TestEndpoint.of("fast3", 1).withLatencyMillis(2),
                TestEndpoint.of("slow", 1).withLatencyMillis(200));
    }

    @Test
    void peakEwmaTreatsAnUntimedEndpointAsNeutral() {
        TestEndpoint timed = TestEndpoint.of("timed", 1).withLatencyMillis(5);
        TestEndpoint fresh = TestEndpoint.of("fresh", 1);

        // no latency yet: it counts as fast as the endpoint it meets, so requests in flight decide
        List<Endpoint> sequence = Picks.picksKeepingRequestsOpen(peakEwma, List.of(timed, fresh), 10_000);

        assertThat(Picks.share(sequence, fresh)).isCloseTo(0.5, offset(0.001));
    }

    @Test
    void peakEwmaUsesTheDefaultLatencyForAnUntimedEndpoint() {
        Balancer withDefault = new P2cBalancer(new P2cConfig(true, Duration.ofMillis(50)), Picks.seeded(5));
        TestEndpoint timed = TestEndpoint.of("timed", 1).withLatencyMillis(5);
        TestEndpoint fresh = TestEndpoint.of("fresh", 1);

        // 50 ms assumed against 5 ms measured: the fresh one gets 1 request in 11
        List<Endpoint> sequence = Picks.picksKeepingRequestsOpen(withDefault, List.of(timed, fresh), 11_000);

        assertThat(Picks.share(sequence, fresh)).isCloseTo(1 / 11.0, offset(0.002));
    }

    @Test
    void withoutPeakEwmaLatencyIsIgnored() {
        TestEndpoint fast = TestEndpoint.of("fast", 1).withLatencyMillis(1);
        TestEndpoint slow = TestEndpoint.of("slow", 1).withLatencyMillis(500);

        List<Endpoint> sequence = Picks.picksKeepingRequestsOpen(balancer, List.of(fast, slow), 10_000);

        assertThat(Picks.share(sequence, slow)).isCloseTo(0.5, offset(0.001));
    }

    @Test
    void theTwoCandidatesAreDistinct() {
        TestEndpoint a = TestEndpoint.of("a", 1).withRequests(0);
        TestEndpoint b = TestEndpoint.of("b", 1).withRequests(100);

        // were the same candidate drawn twice, b would sometimes be picked alone
        assertThat(Picks.picks(balancer, List.of(a, b), 10_000)).containsOnly(a);
    }

    @Test
    void singleCandidateIsAlwaysPicked() {
        TestEndpoint only = TestEndpoint.of("only", 3).withRequests(7);

        assertThat(Picks.picks(balancer, List.of(only), 5)).containsOnly(only);
    }
}
