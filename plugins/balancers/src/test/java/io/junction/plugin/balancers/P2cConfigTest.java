package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class P2cConfigTest {

    @Test
    void defaults() {
        P2cConfig config = new P2cConfig(null, null);

        assertThat(config.peakEwma()).isFalse();
        assertThat(config.defaultLatency()).isNull();
    }

    @Test
    void badValuesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new P2cConfig(null, Duration.ofMillis(20)))
                .withMessage("defaultLatency: only used with \"peakEwma\": true");
        assertThatIllegalArgumentException().isThrownBy(() -> new P2cConfig(true, Duration.ZERO))
                .withMessage("defaultLatency: expected more than 0 and at most 10m, got 0ms");
        assertThatIllegalArgumentException().isThrownBy(() -> new P2cConfig(true, Duration.ofHours(1)))
                .withMessage("defaultLatency: expected more than 0 and at most 10m, got 3600000ms");
    }
}
