package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.junction.api.upstream.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaglevBalancerTest {

    private static final int KEYS = 80_000;

    private static MaglevBalancer maglev(Integer tableSize) {
        return new MaglevBalancer(new MaglevConfig("header:x-user", tableSize), Picks.seeded(31));
    }

    @Test
    void theSameKeyReachesTheSameEndpoint() {
        List<TestEndpoint> endpoints = Picks.endpoints(10);
        MaglevBalancer balancer = maglev(null);

        List<Endpoint> first = Keys.owners(balancer, endpoints, 10_000);

        assertThat(Keys.owners(balancer, endpoints, 10_000)).isEqualTo(first);
        assertThat(Keys.owners(maglev(null), endpoints, 10_000)).isEqualTo(first);
        assertThat(Picks.counts(first)).hasSize(10);
    }

    @Test
    void slotsFollowTheWeights() {
        List<TestEndpoint> endpoints = Picks.weighted125();
        Endpoint[] array = endpoints.toArray(new Endpoint[0]);

        MaglevTable table = MaglevTable.build(array, new int[] {1, 2, 5}, 65_537);

        // within a slot per turn of the heaviest: 65,537 / 8 = 8,192.1 per unit of weight
        assertThat(table.slotsOf(0)).isBetween(8_190, 8_194);
        assertThat(table.slotsOf(1)).isBetween(16_382, 16_386);
        assertThat(table.slotsOf(2)).isBetween(40_958, 40_963);
    }

    @Test
    void keysFollowTheWeights() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        // the table is exact; what is left is the keys' own spread (σ ≈ 0.12 to 0.17 points)
        Picks.assertSharesFollowWeights(Keys.owners(maglev(null), endpoints, KEYS), endpoints, 0.01);
    }

    @Test
    void removingOneOfTenMovesItsKeysAndAFewOthers() {
        List<TestEndpoint> endpoints = Picks.endpoints(10);
        List<Endpoint> before = Keys.owners(maglev(null), endpoints, KEYS);
        List<TestEndpoint> nine = new ArrayList<>(endpoints);
        TestEndpoint removed = nine.remove(3);

        List<Endpoint> after = Keys.owners(maglev(null), nine, KEYS);

        double removedShare = Picks.share(before, removed);
        assertThat(after).doesNotContain(removed);
        // a new table moves at most one point more than the removed endpoint's share (0.4 measured)
        assertThat(Keys.moved(before, after) / (double) KEYS).isBetween(removedShare, removedShare + 0.01);
    }

    @Test
    void addingAnEleventhMovesAboutAnEleventhOfTheKeys() {
        List<TestEndpoint> endpoints = Picks.endpoints(11);
        List<Endpoint> before = Keys.owners(maglev(null), endpoints.subList(0, 10), KEYS);

        List<Endpoint> after = Keys.owners(maglev(null), endpoints, KEYS);

        double moved = Keys.moved(before, after) / (double) KEYS;
        assertThat(moved).isCloseTo(1 / 11.0, offset(0.02));
        assertThat(moved).isLessThanOrEqualTo(Picks.share(after, endpoints.get(10)) + 0.01);
    }

    @Test
    void anEndpointDroppingOutMovesExactlyItsKeysWithoutANewTable() {
        List<TestEndpoint> endpoints = Picks.endpoints(10);
        MaglevBalancer balancer = maglev(null);
        List<Endpoint> before = Keys.owners(balancer, endpoints, KEYS);
        KeyTable table = balancer.snapshot().table;
        List<TestEndpoint> nine = new ArrayList<>(endpoints);
        TestEndpoint down = nine.remove(7).withHealthy(false);

        List<Endpoint> during = Keys.owners(balancer, nine, KEYS);

        assertThat(balancer.snapshot().table).isSameAs(table);
        for (int i = 0; i < KEYS; i++) {
            if (before.get(i) != down) {
                assertThat(during.get(i)).isSameAs(before.get(i));
            }
        }
        // its keys spread over the others by their shares
        List<Endpoint> moved = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            if (before.get(i) == down) {
                moved.add(during.get(i));
            }
        }
        Picks.assertSharesFollowWeights(moved, nine, 0.02);
        down.withHealthy(true);
        assertThat(Keys.owners(balancer, endpoints, KEYS)).isEqualTo(before);
    }

    @Test
    void aSmallPrimeTableWorks() {
        List<TestEndpoint> endpoints = Picks.endpoints(3);

        List<Endpoint> owners = Keys.owners(maglev(7), endpoints, 30_000);

        // 7 slots: 3, 2 and 2
        assertThat(endpoints).allSatisfy(e -> assertThat(Picks.share(owners, e)).isBetween(2 / 7.0 - 0.02, 3 / 7.0 + 0.02));
    }

    @Test
    void withoutAKeyPicksAreWeightedRandom() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        Picks.assertSharesFollowWeights(Picks.picks(maglev(null), endpoints, KEYS), endpoints, 0.01);
    }
}
