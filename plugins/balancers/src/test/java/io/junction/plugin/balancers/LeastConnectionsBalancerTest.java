package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastConnectionsBalancerTest {

    private static final PickContext CONTEXT = PickContext.forClient(null);

    private final Balancer balancer = new LeastConnectionsBalancer();

    @Test
    void picksTheEndpointWithTheFewestConnections() {
        TestEndpoint a = TestEndpoint.of("a", 1, 3);
        TestEndpoint b = TestEndpoint.of("b", 1, 1);
        TestEndpoint c = TestEndpoint.of("c", 1, 2);

        assertThat(picks(List.of(a, b, c), 6)).containsOnly(b);
    }

    @Test
    void connectionsAreWeighed() {
        // loads: a 4/4 = 1.0, b 2/1 = 2.0, c 3/2 = 1.5
        TestEndpoint a = TestEndpoint.of("a", 4, 4);
        TestEndpoint b = TestEndpoint.of("b", 1, 2);
        TestEndpoint c = TestEndpoint.of("c", 2, 3);

        assertThat(picks(List.of(a, b, c), 6)).containsOnly(a);
    }

    @Test
    void followsChangingConnectionCounts() {
        TestEndpoint a = TestEndpoint.of("a", 1, 0);
        TestEndpoint b = TestEndpoint.of("b", 1, 5);

        assertThat(balancer.pick(List.of(a, b), CONTEXT)).isSameAs(a);
        a.withActive(6);
        assertThat(balancer.pick(List.of(a, b), CONTEXT)).isSameAs(b);
        b.withActive(7);
        assertThat(balancer.pick(List.of(a, b), CONTEXT)).isSameAs(a);
    }

    @Test
    void tiesRotate() {
        TestEndpoint a = TestEndpoint.of("a", 1);
        TestEndpoint b = TestEndpoint.of("b", 1);
        TestEndpoint c = TestEndpoint.of("c", 1);

        List<Endpoint> sequence = picks(List.of(a, b, c), 9);

        assertThat(sequence).containsExactly(a, b, c, a, b, c, a, b, c);
    }

    @Test
    void weightedTiesRotate() {
        // both at 1 connection per unit of weight
        TestEndpoint a = TestEndpoint.of("a", 2, 2);
        TestEndpoint b = TestEndpoint.of("b", 1, 1);

        Map<Endpoint, Long> counts = Picks.counts(picks(List.of(a, b), 10));

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(a, 5L, b, 5L));
    }

    @Test
    void tiesAmongSomeEndpointsShareThePicksAndSkipTheBusyOne() {
        TestEndpoint a = TestEndpoint.of("a", 1, 0);
        TestEndpoint b = TestEndpoint.of("b", 1, 0);
        TestEndpoint busy = TestEndpoint.of("busy", 1, 5);

        Map<Endpoint, Long> counts = Picks.counts(picks(List.of(a, b, busy), 300));

        assertThat(counts).containsOnlyKeys(a, b);
        // the rotation starts at each candidate in turn; when it starts at the busy one, the
        // next tied candidate in order wins, so the split is 2:1 rather than even
        assertThat(counts.get(a)).isBetween(100L, 200L);
        assertThat(counts.get(b)).isBetween(100L, 200L);
    }

    @Test
    void singleCandidateIsAlwaysPicked() {
        TestEndpoint only = TestEndpoint.of("only", 1, 42);

        assertThat(picks(List.of(only), 3)).containsOnly(only);
    }

    private List<Endpoint> picks(List<Endpoint> candidates, int n) {
        List<Endpoint> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(balancer.pick(candidates, CONTEXT));
        }
        return result;
    }
}
