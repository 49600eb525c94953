package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastRequestsBalancerTest {

    private final Balancer balancer = new LeastRequestsBalancer(new LeastRequestsConfig(null, null), Picks.seeded(7));

    @Test
    void picksTheEndpointWithTheFewestRequests() {
        TestEndpoint a = TestEndpoint.of("a", 1).withRequests(3);
        TestEndpoint b = TestEndpoint.of("b", 1).withRequests(1);
        TestEndpoint c = TestEndpoint.of("c", 1).withRequests(2);

        assertThat(Picks.picks(balancer, List.of(a, b, c), 6)).containsOnly(b);
    }

    @Test
    void countsRequestsNotConnections() {
        // one connection each, but b multiplexes 9 requests on it
        TestEndpoint a = TestEndpoint.of("a", 1, 1).withRequests(2);
        TestEndpoint b = TestEndpoint.of("b", 1, 1).withRequests(9);

        assertThat(Picks.picks(balancer, List.of(a, b), 4)).containsOnly(a);
    }

    @Test
    void requestsAreWeighed() {
        // loads: a 4/4 = 1.0, b 2/1 = 2.0, c 3/2 = 1.5
        TestEndpoint a = TestEndpoint.of("a", 4).withRequests(4);
        TestEndpoint b = TestEndpoint.of("b", 1).withRequests(2);
        TestEndpoint c = TestEndpoint.of("c", 2).withRequests(3);

        assertThat(Picks.picks(balancer, List.of(a, b, c), 6)).containsOnly(a);
    }

    @Test
    void tiesRotateEvenly() {
        TestEndpoint a = TestEndpoint.of("a", 1);
        TestEndpoint busy = TestEndpoint.of("busy", 1).withRequests(5);
        TestEndpoint b = TestEndpoint.of("b", 1);

        assertThat(Picks.picks(balancer, List.of(a, busy, b), 6)).containsExactly(a, b, a, b, a, b);
    }

    @Test
    void sharesFollowTheWeightsWhileRequestsStayOpen() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        // the least-loaded endpoint is always the one furthest below its weight: exact to one pick
        List<Endpoint> sequence = Picks.picksKeepingRequestsOpen(balancer, endpoints, 80_000);

        Picks.assertSharesFollowWeights(sequence, endpoints, 0.0001);
    }

    @Test
    void sharesFollowAWeightChange() {
        TestEndpoint ramping = TestEndpoint.of("ramping", 1);
        TestEndpoint steady = TestEndpoint.of("steady", 10);
        List<TestEndpoint> both = List.of(ramping, steady);

        assertThat(Picks.share(Picks.picksKeepingRequestsOpen(balancer, both, 11_000), ramping)).isCloseTo(1 / 11.0,
                org.assertj.core.data.Offset.offset(0.001));
        ramping.withWeight(10);
        // ramping has 1,000 requests open against steady's 10,000: it takes the next 9,000 and then half
        List<Endpoint> after = Picks.picksKeepingRequestsOpen(balancer, both, 11_000);
        assertThat(Picks.counts(after).get(ramping)).isBetween(9_999L, 10_001L);
    }

    @Test
    void aboveFullScanUpToItComparesChoiceCountRandomCandidates() {
        Balancer sampling = new LeastRequestsBalancer(new LeastRequestsConfig(8, 2), Picks.seeded(11));
        List<TestEndpoint> endpoints = Picks.endpoints(300);
        for (int i = 0; i < endpoints.size(); i++) {
            endpoints.get(i).withRequests(i); // e0 is idle, e299 the busiest
        }

        Map<Endpoint, Long> counts = Picks.counts(Picks.picks(sampling, endpoints, 30_000));

        // never the busiest (it loses every comparison); e0 wins whenever drawn: 2/300 of picks
        assertThat(counts).doesNotContainKey(endpoints.get(299));
        assertThat(counts.get(endpoints.get(0)) / 30_000.0).isCloseTo(2 / 300.0, org.assertj.core.data.Offset.offset(0.002));
        // e1 loses only to e0: chosen when drawn without it, 2/300 × 298/299
        assertThat(counts.get(endpoints.get(1)) / 30_000.0).isCloseTo(2 / 300.0, org.assertj.core.data.Offset.offset(0.002));
    }

    @Test
    void samplingKeepsLoadsEvenWhileRequestsStayOpen() {
        Balancer sampling = new LeastRequestsBalancer(new LeastRequestsConfig(0, 2), Picks.seeded(12));
        List<TestEndpoint> endpoints = Picks.endpoints(100);

        Picks.picksKeepingRequestsOpen(sampling, endpoints, 100_000);

        // power of two choices: the spread stays a few requests around the mean of 1,000
        assertThat(endpoints).allSatisfy(e -> assertThat(e.activeRequests()).isBetween(990, 1_010));
    }

    @Test
    void singleCandidateIsAlwaysPicked() {
        TestEndpoint only = TestEndpoint.of("only", 1).withRequests(42);

        assertThat(Picks.picks(balancer, List.of(only), 3)).containsOnly(only);
    }
}
