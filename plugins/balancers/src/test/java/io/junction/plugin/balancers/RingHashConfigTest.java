package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class RingHashConfigTest {

    @Test
    void defaults() {
        RingHashConfig config = new RingHashConfig(null, null, null);

        assertThat(config.hashOn()).isEqualTo("source-ip");
        assertThat(config.virtualNodes()).isEqualTo(160);
        assertThat(config.maxRingSize()).isEqualTo(1_048_576);
    }

    @Test
    void badValuesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RingHashConfig("ip", null, null))
                .withMessageStartingWith("hashOn: expected \"source-ip\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new RingHashConfig(null, 0, null))
                .withMessage("virtualNodes: expected 1 to 10000, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new RingHashConfig(null, null, 100))
                .withMessage("maxRingSize: expected 1024 to 16777216, got 100");
    }

    @Test
    void aRingLargerThanMaxRingSizeGetsFewerPointsPerUnitOfWeight() {
        TestEndpoint[] endpoints = Picks.endpoints(4).toArray(new TestEndpoint[0]);

        RingHashTable table = RingHashTable.build(endpoints, new int[] {1000, 1000, 1000, 1}, 160, 1024);

        assertThat(table.size()).isBetween(1024, 1024 + 4);
    }
}
