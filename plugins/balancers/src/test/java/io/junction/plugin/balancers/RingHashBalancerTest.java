package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.junction.api.upstream.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingHashBalancerTest {

    private static final int KEYS = 80_000;

    private static RingHashBalancer ring(Integer virtualNodes) {
        return new RingHashBalancer(new RingHashConfig("header:X-User", virtualNodes, null), Picks.seeded(21));
    }

    @Test
    void theSameKeyReachesTheSameEndpoint() {
        List<TestEndpoint> endpoints = Picks.endpoints(10);
        RingHashBalancer balancer = ring(null);

        List<Endpoint> first = Keys.owners(balancer, endpoints, 10_000);

        assertThat(Keys.owners(balancer, endpoints, 10_000)).isEqualTo(first);
        // another instance (another event loop, another proxy, after a restart) agrees
        assertThat(Keys.owners(ring(null), endpoints, 10_000)).isEqualTo(first);
        assertThat(Picks.counts(first)).hasSize(10);
    }

    @Test
    void keysFollowTheWeights() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        // 160 points per unit of weight: shares within ±3 points; 2,000 per unit: within ±1
        Picks.assertSharesFollowWeights(Keys.owners(ring(null), endpoints, KEYS), endpoints, 0.03);
        Picks.assertSharesFollowWeights(Keys.owners(ring(2_000), endpoints, KEYS), endpoints, 0.01);
    }

    @Test
    void removingOneOfTenMovesExactlyItsKeys() {
        List<TestEndpoint> endpoints = Picks.endpoints(10);
        List<Endpoint> before = Keys.owners(ring(null), endpoints, KEYS);
        List<TestEndpoint> nine = new ArrayList<>(endpoints);
        TestEndpoint removed = nine.remove(3);

        List<Endpoint> after = Keys.owners(ring(null), nine, KEYS);

        for (int i = 0; i < KEYS; i++) {
            if (before.get(i) != removed) {
                assertThat(after.get(i)).as("owner of user-%d", i).isSameAs(before.get(i));
            }
        }
        assertThat(Keys.moved(before, after)).isEqualTo(Picks.counts(before).get(removed).intValue());
    }

    @Test
    void addingAnEleventhMovesAboutAnEleventhOfTheKeys() {
        List<TestEndpoint> endpoints = Picks.endpoints(11);
        List<Endpoint> before = Keys.owners(ring(null), endpoints.subList(0, 10), KEYS);

        List<Endpoint> after = Keys.owners(ring(null), endpoints, KEYS);

        // only to the newcomer
        for (int i = 0; i < KEYS; i++) {
            if (after.get(i) != before.get(i)) {
                assertThat(after.get(i)).isSameAs(endpoints.get(10));
            }
        }
        assertThat(Keys.moved(before, after) / (double) KEYS).isCloseTo(1 / 11.0, offset(0.02));
    }

    @Test
    void anEndpointDroppingOutMovesOnlyItsKeysWithoutANewRing() {
        List<TestEndpoint> endpoints = Picks.endpoints(10);
        RingHashBalancer balancer = ring(null);
        List<Endpoint> before = Keys.owners(balancer, endpoints, KEYS);
        KeyTable table = balancer.snapshot().table;
        List<TestEndpoint> nine = new ArrayList<>(endpoints);
        TestEndpoint down = nine.remove(7);

        List<Endpoint> during = Keys.owners(balancer, nine, KEYS);

        assertThat(balancer.snapshot().table).isSameAs(table);
        // the same owners as a ring built without it
        assertThat(during).isEqualTo(Keys.owners(ring(null), nine, KEYS));
        assertThat(Keys.moved(before, during)).isEqualTo(Picks.counts(before).get(down).intValue());
        // and back
        assertThat(Keys.owners(balancer, endpoints, KEYS)).isEqualTo(before);
        assertThat(balancer.snapshot().table).isSameAs(table);
    }

    @Test
    void theRingIsRebuiltWhenAnEndpointJoinsOrAWeightChangesOrMostAreGone() {
        List<TestEndpoint> endpoints = Picks.endpoints(6);
        RingHashBalancer balancer = ring(null);
        Keys.owners(balancer, endpoints.subList(0, 5), 10);
        KeyTable five = balancer.snapshot().table;

        Keys.owners(balancer, endpoints.subList(0, 5), 10);
        assertThat(balancer.snapshot().table).as("same endpoints, new list").isSameAs(five);
        Keys.owners(balancer, endpoints, 10);
        KeyTable six = balancer.snapshot().table;
        assertThat(six).as("one joined").isNotSameAs(five);
        endpoints.get(0).withWeight(3);
        Keys.owners(balancer, endpoints, 10);
        assertThat(balancer.snapshot().table).as("a weight changed").isNotSameAs(six);
        KeyTable weighted = balancer.snapshot().table;
        Keys.owners(balancer, endpoints.subList(0, 2), 10);
        assertThat(balancer.snapshot().table).as("four of six gone").isNotSameAs(weighted);
    }

    @Test
    void theSameImmutableListIsTrustedAndAMutableOneNever() {
        List<TestEndpoint> endpoints = Picks.endpoints(4);
        RingHashBalancer balancer = ring(null);
        List<io.junction.api.upstream.Endpoint> immutable = List.copyOf(endpoints);
        balancer.pick(immutable, Keys.header("k"));

        assertThat(balancer.snapshot().trusts(immutable)).isTrue();

        // a list reused and refilled by its caller is compared every time
        List<io.junction.api.upstream.Endpoint> reused = new ArrayList<>(endpoints);
        balancer.pick(reused, Keys.header("k"));
        reused.clear();
        reused.add(endpoints.get(3));
        reused.add(endpoints.get(2));
        reused.add(TestEndpoint.of("newcomer", 1));
        for (int i = 0; i < 1_000; i++) {
            assertThat(reused).contains(balancer.pick(reused, Keys.header("user-" + i)));
        }
    }

    @Test
    void candidatesInAnotherOrderUseTheSameRing() {
        List<TestEndpoint> endpoints = Picks.endpoints(10);
        RingHashBalancer balancer = ring(null);
        List<Endpoint> before = Keys.owners(balancer, endpoints, 1_000);
        KeyTable table = balancer.snapshot().table;
        List<TestEndpoint> reversed = new ArrayList<>(endpoints);
        java.util.Collections.reverse(reversed);

        assertThat(Keys.owners(balancer, reversed, 1_000)).isEqualTo(before);
        assertThat(balancer.snapshot().table).isSameAs(table);
    }

    @Test
    void withoutAKeyPicksAreWeightedRandom() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        Picks.assertSharesFollowWeights(Picks.picks(ring(null), endpoints, KEYS), endpoints, 0.01);
    }
}
