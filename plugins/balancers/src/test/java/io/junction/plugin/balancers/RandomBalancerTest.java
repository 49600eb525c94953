package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomBalancerTest {

    private final Balancer balancer = new RandomBalancer(Picks.seeded(42));

    @Test
    void sharesFollowTheWeights() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        // 1:2:5 over 80,000 picks within ±1 percentage point (binomial σ ≤ 0.17 points)
        Picks.assertSharesFollowWeights(Picks.picks(balancer, endpoints, 80_000), endpoints, 0.01);
    }

    @Test
    void equalWeightsReachEveryEndpoint() {
        List<TestEndpoint> endpoints = Picks.endpoints(3);

        Map<Endpoint, Long> counts = Picks.counts(Picks.picks(balancer, endpoints, 9_000));

        assertThat(counts).containsOnlyKeys(endpoints.toArray(new Endpoint[0]));
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(2_800L, 3_200L));
    }

    @Test
    void sharesFollowAWeightChange() {
        TestEndpoint ramping = TestEndpoint.of("ramping", 1);
        TestEndpoint steady = TestEndpoint.of("steady", 10);

        // the runtime's immutable lists: a changed weight comes with a new list
        assertThat(Picks.share(Picks.picks(balancer, List.of(ramping, steady), 20_000), ramping)).isBetween(0.08, 0.10);
        ramping.withWeight(10);
        assertThat(Picks.share(Picks.picks(balancer, List.of(ramping, steady), 20_000), ramping)).isBetween(0.49, 0.51);
    }

    @Test
    void mutableListsAreReadOnEveryPick() {
        List<TestEndpoint> endpoints = Picks.weighted125();
        List<Endpoint> mutable = new java.util.ArrayList<>(endpoints);
        List<Endpoint> sequence = new java.util.ArrayList<>();
        for (int i = 0; i < 80_000; i++) {
            sequence.add(balancer.pick(mutable, Picks.NO_KEY));
        }

        Picks.assertSharesFollowWeights(sequence, endpoints, 0.01);
        endpoints.get(0).withWeight(8);
        sequence.clear();
        for (int i = 0; i < 30_000; i++) {
            sequence.add(balancer.pick(mutable, Picks.NO_KEY));
        }
        assertThat(Picks.share(sequence, endpoints.get(0))).isBetween(0.52, 0.55);
    }

    @Test
    void singleCandidateIsAlwaysPicked() {
        TestEndpoint only = TestEndpoint.of("only", 7);

        assertThat(Picks.picks(balancer, List.of(only), 100)).containsOnly(only);
    }

    @Test
    void theDefaultUsesTheThreadsOwnRandomNumbers() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        Picks.assertSharesFollowWeights(Picks.picks(new RandomBalancer(), endpoints, 80_000), endpoints, 0.02);
    }
}
