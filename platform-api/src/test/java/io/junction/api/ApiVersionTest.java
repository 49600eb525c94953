package io.junction.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiVersionTest {

    @Test
    void currentVersionComesFromTheBuild() {
        assertThat(ApiVersion.CURRENT).isEqualTo(new ApiVersion(1, 5));
    }

    @Test
    void sameMajorAndOlderOrEqualMinorCanRun() {
        ApiVersion runtime = ApiVersion.parse("1.3");
        assertThat(runtime.canRun(ApiVersion.parse("1.0"))).isTrue();
        assertThat(runtime.canRun(ApiVersion.parse("1.3"))).isTrue();
        assertThat(runtime.canRun(ApiVersion.parse("1.4"))).as("newer minor uses API we lack").isFalse();
        assertThat(runtime.canRun(ApiVersion.parse("2.0"))).isFalse();
        assertThat(runtime.canRun(ApiVersion.parse("0.9"))).isFalse();
    }

    @Test
    void malformedVersionsAreRejectedWithTheExpectedShape() {
        for (String bad : new String[] {"1", "1.0.0", "one.two", "", "-1.0"}) {
            assertThatThrownBy(() -> ApiVersion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ApiVersion.parse("x")).hasMessageContaining("expected an API version like 1.0");
    }
}
