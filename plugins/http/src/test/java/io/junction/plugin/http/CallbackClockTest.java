package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CallbackClockTest {

    /** Spins until the clock has moved past {@code nanos} (it moves within microseconds; bounded anyway). */
    private static void clockMovesPast(long nanos) {
        for (int i = 0; i < 10_000_000 && System.nanoTime() <= nanos; i++) {
            Thread.onSpinWait();
        }
        assertThat(System.nanoTime()).isGreaterThan(nanos);
    }

    @Test
    void aReadAndWhatItSetsOffShareOneReadingAndOutsideAReadTheClockIsRead() {
        CallbackClock clock = CallbackClock.current();
        long before = System.nanoTime();
        clock.enter();
        long first = clock.now();
        assertThat(first).isGreaterThanOrEqualTo(before);
        clockMovesPast(first);
        assertThat(clock.now()).as("the same reading during the read").isEqualTo(first);
        clock.enter(); // a read set off by this one
        assertThat(clock.now()).isEqualTo(first);
        clock.exit();
        assertThat(clock.now()).as("still inside the first read").isEqualTo(first);
        clock.exit();
        assertThat(clock.now()).as("outside a read: the clock").isGreaterThan(first);
        long outside = clock.now();
        clockMovesPast(outside);
        assertThat(clock.now()).isGreaterThan(outside);
    }

    @Test
    void eachThreadHasItsOwn() throws Exception {
        CallbackClock mine = CallbackClock.current();
        assertThat(CallbackClock.current()).isSameAs(mine);
        CallbackClock other = CompletableFuture.supplyAsync(CallbackClock::current, task -> new Thread(task).start()).get();
        assertThat(other).isNotSameAs(mine);
        mine.enter();
        try {
            long reading = mine.now();
            clockMovesPast(reading);
            assertThat(other.now()).as("a read on this thread is not the other thread's").isGreaterThan(reading);
        } finally {
            mine.exit();
        }
    }
}
