package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import io.junction.plugin.balancers.RandomExtension.RandomBalancer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomBalancerTest {

    private static final PickContext CONTEXT = PickContext.forClient(null);

    private final Balancer balancer = new RandomBalancer();

    @Test
    void sharesFollowTheWeights() {
        TestEndpoint heavy = TestEndpoint.of("heavy", 3);
        TestEndpoint light = TestEndpoint.of("light", 1);

        Map<Endpoint, Long> counts = RoundRobinBalancerTest.counts(picks(List.of(heavy, light), 10_000));

        double heavyShare = counts.getOrDefault(heavy, 0L) / 10_000.0;
        assertThat(heavyShare).isBetween(0.70, 0.80);
        assertThat(counts.getOrDefault(heavy, 0L) + counts.getOrDefault(light, 0L)).isEqualTo(10_000L);
    }

    @Test
    void equalWeightsReachEveryEndpoint() {
        TestEndpoint a = TestEndpoint.of("a", 1);
        TestEndpoint b = TestEndpoint.of("b", 1);
        TestEndpoint c = TestEndpoint.of("c", 1);

        Map<Endpoint, Long> counts = RoundRobinBalancerTest.counts(picks(List.of(a, b, c), 9_000));

        assertThat(counts).containsOnlyKeys(a, b, c);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(2_500L, 3_500L));
    }

    @Test
    void singleCandidateIsAlwaysPicked() {
        TestEndpoint only = TestEndpoint.of("only", 7);

        assertThat(picks(List.of(only), 100)).containsOnly(only);
    }

    private List<Endpoint> picks(List<Endpoint> candidates, int n) {
        List<Endpoint> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(balancer.pick(candidates, CONTEXT));
        }
        assertThat(result).allSatisfy(e -> assertThat(candidates).contains(e));
        return result;
    }
}
