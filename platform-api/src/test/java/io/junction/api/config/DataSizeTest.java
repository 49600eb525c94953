package io.junction.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataSizeTest {

    @Test
    void parsesBinaryUnits() {
        assertThat(DataSize.parse("512").bytes()).isEqualTo(512);
        assertThat(DataSize.parse("512B").bytes()).isEqualTo(512);
        assertThat(DataSize.parse("64KB").bytes()).isEqualTo(64 * 1024);
        assertThat(DataSize.parse("16 MB").bytes()).isEqualTo(16L << 20);
        assertThat(DataSize.parse("1gb").bytes()).isEqualTo(1L << 30);
        assertThat(DataSize.parse("2TB").bytes()).isEqualTo(2L << 40);
    }

    @Test
    void printsTheLargestExactUnit() {
        assertThat(DataSize.parse("65536")).hasToString("64KB");
        assertThat(DataSize.ofBytes(1000)).hasToString("1000B");
        assertThat(DataSize.ofBytes(0)).hasToString("0B");
        assertThat(DataSize.parse(DataSize.parse("3MB").toString())).isEqualTo(DataSize.parse("3MB"));
    }

    @Test
    void rejectsWhatIsNotASize() {
        for (String bad : new String[] {"", "KB", "-1KB", "1.5MB", "10 kilobytes", "1PB"}) {
            assertThatThrownBy(() -> DataSize.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected a size like");
        }
        assertThatThrownBy(() -> DataSize.parse("99999999999TB")).hasMessageContaining("too large");
        assertThatThrownBy(() -> DataSize.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toIntBytesFailsRatherThanTruncating() {
        assertThat(DataSize.parse("1GB").toIntBytes()).isEqualTo(1 << 30);
        assertThatThrownBy(() -> DataSize.parse("4GB").toIntBytes()).isInstanceOf(ArithmeticException.class);
    }
}
