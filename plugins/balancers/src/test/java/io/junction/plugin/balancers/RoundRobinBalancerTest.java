package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RoundRobinBalancerTest {

    private static final PickContext CONTEXT = PickContext.forClient(null);

    private final Balancer balancer = new RoundRobinBalancer();

    private final TestEndpoint a = TestEndpoint.of("a", 1);
    private final TestEndpoint b = TestEndpoint.of("b", 1);
    private final TestEndpoint c = TestEndpoint.of("c", 1);

    @Test
    void equalWeightsCycleInConfigOrder() {
        List<Endpoint> candidates = List.of(a, b, c);

        assertThat(picks(candidates, 9)).containsExactly(a, b, c, a, b, c, a, b, c);
    }

    @Test
    void equalWeightsAboveOneStillCycleOneByOne() {
        List<Endpoint> candidates = List.of(TestEndpoint.of("x", 3), TestEndpoint.of("y", 3));

        assertThat(picks(candidates, 4)).extracting(Endpoint::id).containsExactly("x", "y", "x", "y");
    }

    @Test
    void singleCandidateIsAlwaysPicked() {
        assertThat(picks(List.of(a), 5)).containsOnly(a);
    }

    @Test
    void weightsAreSpreadSmoothly() {
        TestEndpoint heavy = TestEndpoint.of("heavy", 5);
        TestEndpoint minor1 = TestEndpoint.of("minor1", 1);
        TestEndpoint minor2 = TestEndpoint.of("minor2", 1);

        List<Endpoint> sequence = picks(List.of(heavy, minor1, minor2), 7);

        assertThat(counts(sequence)).containsExactlyInAnyOrderEntriesOf(Map.of(heavy, 5L, minor1, 1L, minor2, 1L));
        for (int i = 1; i < sequence.size(); i++) {
            boolean bothMinor = sequence.get(i - 1) != heavy && sequence.get(i) != heavy;
            assertThat(bothMinor).as("minor endpoints adjacent at %d in %s", i, sequence).isFalse();
        }
        assertThat(longestRun(sequence, heavy)).as("longest run of the heavy endpoint in %s", sequence).isLessThanOrEqualTo(2);
        // nginx's smooth weighted round-robin gives exactly this interleaving
        assertThat(sequence).containsExactly(heavy, heavy, minor1, heavy, minor2, heavy, heavy);
    }

    @Test
    void weightsHoldOverManyCycles() {
        TestEndpoint x = TestEndpoint.of("x", 3);
        TestEndpoint y = TestEndpoint.of("y", 2);
        TestEndpoint z = TestEndpoint.of("z", 1);

        List<Endpoint> sequence = picks(List.of(x, y, z), 600);

        assertThat(counts(sequence)).containsExactlyInAnyOrderEntriesOf(Map.of(x, 300L, y, 200L, z, 100L));
    }

    @Test
    void equalWeightsKeepCyclingWhenAnEndpointIsRemoved() {
        assertThat(picks(List.of(a, b, c), 4)).containsExactly(a, b, c, a);

        List<Endpoint> sequence = picks(List.of(a, c), 10);

        assertThat(sequence).doesNotContain(b);
        assertThat(counts(sequence)).containsExactlyInAnyOrderEntriesOf(Map.of(a, 5L, c, 5L));
        for (int i = 1; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).isNotSameAs(sequence.get(i - 1));
        }
    }

    @Test
    void weightsHoldAfterAnEndpointIsRemovedAtACycleBoundary() {
        TestEndpoint heavy = TestEndpoint.of("heavy", 5);
        TestEndpoint minor1 = TestEndpoint.of("minor1", 1);
        TestEndpoint minor2 = TestEndpoint.of("minor2", 1);
        picks(List.of(heavy, minor1, minor2), 7);

        List<Endpoint> sequence = picks(List.of(heavy, minor1), 6);

        assertThat(counts(sequence)).containsExactlyInAnyOrderEntriesOf(Map.of(heavy, 5L, minor1, 1L));
    }

    @Test
    void weightsHoldAfterAnEndpointIsRemovedMidCycle() {
        TestEndpoint heavy = TestEndpoint.of("heavy", 5);
        TestEndpoint minor1 = TestEndpoint.of("minor1", 1);
        TestEndpoint minor2 = TestEndpoint.of("minor2", 1);
        picks(List.of(heavy, minor1, minor2), 3);

        List<Endpoint> sequence = picks(List.of(heavy, minor2), 600);

        assertThat(sequence).doesNotContain(minor1);
        Map<Endpoint, Long> counts = counts(sequence);
        assertThat(counts.get(heavy)).isBetween(498L, 502L);
        assertThat(counts.get(minor2)).isBetween(98L, 102L);

        // and back with all three: still every endpoint, in proportion
        Map<Endpoint, Long> back = counts(picks(List.of(heavy, minor1, minor2), 700));
        assertThat(back.get(heavy)).isBetween(498L, 502L);
        assertThat(back.get(minor1)).isBetween(98L, 102L);
        assertThat(back.get(minor2)).isBetween(98L, 102L);
    }

    @Test
    void switchingBetweenEqualAndUnequalWeightsWorks() {
        TestEndpoint heavy = TestEndpoint.of("heavy", 2);
        TestEndpoint light1 = TestEndpoint.of("light1", 1);
        TestEndpoint light2 = TestEndpoint.of("light2", 1);

        // heavy gone: the remaining weights are equal
        assertThat(counts(picks(List.of(light1, light2), 4))).containsExactlyInAnyOrderEntriesOf(Map.of(light1, 2L, light2, 2L));
        // heavy back
        assertThat(counts(picks(List.of(heavy, light1, light2), 400)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(heavy, 200L, light1, 100L, light2, 100L));
    }

    @Test
    @Timeout(30)
    void concurrentPicksKeepTheWeights() throws InterruptedException {
        TestEndpoint heavy = TestEndpoint.of("heavy", 3);
        TestEndpoint light = TestEndpoint.of("light", 1);
        List<Endpoint> candidates = List.of(heavy, light);
        Map<Endpoint, AtomicInteger> counts = new ConcurrentHashMap<>();
        int threads = 4;
        int perThread = 10_000;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    counts.computeIfAbsent(balancer.pick(candidates, CONTEXT), e -> new AtomicInteger()).incrementAndGet();
                }
                done.countDown();
            });
            thread.setDaemon(true);
            thread.start();
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(counts.get(heavy).get()).isEqualTo(30_000);
        assertThat(counts.get(light).get()).isEqualTo(10_000);
    }

    @Test
    void weights125GiveExactSharesOver80000Picks() {
        List<TestEndpoint> endpoints = Picks.weighted125();

        List<Endpoint> sequence = Picks.picks(balancer, endpoints, 80_000);

        // exact: 10,000 cycles of 8
        assertThat(counts(sequence)).containsExactlyInAnyOrderEntriesOf(
                Map.of(endpoints.get(0), 10_000L, endpoints.get(1), 20_000L, endpoints.get(2), 50_000L));
    }

    @Test
    void sharesFollowAWeightChange() {
        TestEndpoint ramping = TestEndpoint.of("ramping", 1);
        TestEndpoint steady = TestEndpoint.of("steady", 10);

        // the runtime's immutable lists: a changed weight comes with a new list
        assertThat(Picks.share(picks(List.of(ramping, steady), 1_100), ramping)).isCloseTo(1 / 11.0, offset(0.002));
        ramping.withWeight(10);
        List<Endpoint> after = picks(List.of(ramping, steady), 1_000);
        assertThat(Picks.share(after, ramping)).isCloseTo(0.5, offset(0.01));
        assertThat(longestRun(after, steady)).isLessThanOrEqualTo(2);
    }

    @Test
    void aMutableListIsReadOnEveryPick() {
        TestEndpoint ramping = TestEndpoint.of("ramping", 1);
        TestEndpoint steady = TestEndpoint.of("steady", 10);
        List<Endpoint> candidates = new ArrayList<>(List.of(ramping, steady));

        assertThat(Picks.share(picks(candidates, 1_100), ramping)).isCloseTo(1 / 11.0, offset(0.002));
        ramping.withWeight(5);
        assertThat(Picks.share(picks(candidates, 1_500), ramping)).isCloseTo(1 / 3.0, offset(0.01));
    }

    @Test
    void aCycleTooLongToPrecomputeIsStillSmoothAndExact() {
        // 40 endpoints of weight 1000: a cycle of 40,000 picks × 40 is past SmoothSchedule.MAX_WORK
        List<Endpoint> candidates = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            candidates.add(TestEndpoint.of("e" + i, i == 0 ? 999 : 1000));
        }
        List<Endpoint> immutable = List.copyOf(candidates);

        List<Endpoint> sequence = picks(immutable, 39_999);

        assertThat(counts(sequence).values()).allSatisfy(n -> assertThat(n).isBetween(999L, 1_000L));
        for (Endpoint e : immutable) {
            assertThat(longestRun(sequence, e)).isEqualTo(1);
        }
    }

    @Test
    @Timeout(30)
    void concurrentPicksWhileCandidatesChange() throws InterruptedException {
        TestEndpoint heavy = TestEndpoint.of("heavy", 3);
        TestEndpoint light = TestEndpoint.of("light", 1);
        TestEndpoint flapping = TestEndpoint.of("flapping", 2);
        List<Endpoint> all = List.of(heavy, light, flapping);
        List<Endpoint> some = List.of(heavy, light);
        Map<Endpoint, AtomicInteger> counts = new ConcurrentHashMap<>();
        int threads = 4;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    List<Endpoint> candidates = (i / 100 + offset) % 2 == 0 ? all : some;
                    Endpoint picked = balancer.pick(candidates, CONTEXT);
                    assertThat(candidates).contains(picked);
                    counts.computeIfAbsent(picked, e -> new AtomicInteger()).incrementAndGet();
                }
                done.countDown();
            });
            thread.setDaemon(true);
            thread.start();
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();

        // half the picks see 3:1:2, half 3:1; heavy gets (3/6 + 3/4) / 2 of them
        assertThat(counts.get(heavy).get() / 80_000.0).isCloseTo(0.625, offset(0.02));
        assertThat(counts.get(light).get() / 80_000.0).isCloseTo(0.208, offset(0.02));
        assertThat(counts.get(flapping).get() / 80_000.0).isCloseTo(0.167, offset(0.02));
    }

    private List<Endpoint> picks(List<Endpoint> candidates, int n) {
        List<Endpoint> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Endpoint picked = balancer.pick(candidates, CONTEXT);
            assertThat(candidates).contains(picked);
            result.add(picked);
        }
        return result;
    }

    private static Map<Endpoint, Long> counts(List<Endpoint> sequence) {
        return sequence.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static int longestRun(List<Endpoint> sequence, Endpoint endpoint) {
        int longest = 0;
        int run = 0;
        for (Endpoint e : sequence) {
            run = e == endpoint ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
