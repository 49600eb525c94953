package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LeastRequestsConfigTest {

    @Test
    void defaults() {
        LeastRequestsConfig config = new LeastRequestsConfig(null, null);

        assertThat(config.fullScanUpTo()).isEqualTo(64);
        assertThat(config.choiceCount()).isEqualTo(4);
    }

    @Test
    void badValuesNameTheirField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LeastRequestsConfig(-1, null))
                .withMessage("fullScanUpTo: expected 0 to 100000, got -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new LeastRequestsConfig(null, 1))
                .withMessage("choiceCount: expected 2 to 64, got 1");
        assertThatIllegalArgumentException().isThrownBy(() -> new LeastRequestsConfig(null, 65))
                .withMessage("choiceCount: expected 2 to 64, got 65");
    }
}
