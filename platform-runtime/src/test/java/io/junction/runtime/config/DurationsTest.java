package io.junction.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "150ms, PT0.15S",
            "0ms,   PT0S",
            "2s,    PT2S",
            "90s,   PT1M30S",
            "5m,    PT5M",
            "1h,    PT1H",
            "2d,    PT48H",
    })
    void parsesEveryUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertThat(Durations.parse("  2s\t")).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"150ms", "1s", "2s", "90s", "5m", "1h", "36h", "1500ms", "0s"})
    void formatOfParseIsTheSameText(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1000, 1001, 59_000, 60_000, 61_000, 3_600_000, 86_400_000, 90_061_001})
    void parseOfFormatIsTheSameDuration(long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @Test
    void formatUsesTheLargestWholeUnit() {
        assertThat(Durations.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2500ms");
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("24h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"2 sec", "2", "s", "1.5s", "-1s", "+1s", "2S", "2sec", "1h30m", "PT2S", "ms", "2 s"})
    void rejectsAnythingElse(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessageContaining("expected a duration like \"150ms\", \"2s\", \"5m\" or \"1h\"")
                .withMessageContaining("got \"" + text + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999ms", "9999999999999999d", "9999999999999999999h"})
    void rejectsDurationsTooLargeToRepresent(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text))
                .withMessage("duration \"" + text + "\" is too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"150ms", "2s", "5m", "1h", "7d"})
    void schemaPatternAcceptsWhatParseAccepts(String text) {
        assertThat(text).matches(Durations.PATTERN);
        assertThat(Durations.parse(text)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2 sec", "1.5s", "-1s", "2S", "2"})
    void schemaPatternRejectsWhatParseRejects(String text) {
        assertThat(text).doesNotMatch(Durations.PATTERN);
        assertThatIllegalArgumentException().isThrownBy(() -> Durations.parse(text));
    }
}
