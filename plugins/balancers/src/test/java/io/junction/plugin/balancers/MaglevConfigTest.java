package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class MaglevConfigTest {

    @Test
    void defaults() {
        MaglevConfig config = new MaglevConfig(null, null);

        assertThat(config.hashOn()).isEqualTo("source-ip");
        assertThat(config.tableSize()).isEqualTo(65_537);
    }

    @Test
    void primesAreAccepted() {
        assertThat(new MaglevConfig("path", 3).tableSize()).isEqualTo(3);
        assertThat(new MaglevConfig("path", 1_000_003).tableSize()).isEqualTo(1_000_003);
        assertThat(new MaglevConfig("path", 5_000_011).tableSize()).isEqualTo(5_000_011);
    }

    @Test
    void badValuesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MaglevConfig("header:", null))
                .withMessage("hashOn: a name must follow \"header:\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new MaglevConfig(null, 65_536))
                .withMessage("tableSize: must be a prime, got 65536 (e.g. 65537, 131071, 1000003)");
        assertThatIllegalArgumentException().isThrownBy(() -> new MaglevConfig(null, 2))
                .withMessage("tableSize: expected a prime from 3 to 5000011, got 2");
        assertThatIllegalArgumentException().isThrownBy(() -> new MaglevConfig(null, 5_000_077))
                .withMessage("tableSize: expected a prime from 3 to 5000011, got 5000077");
    }
}
