package io.junction.plugin.respond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.api.config.DataSize;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespondConfigTest {

    @Test
    void absentSettingsGetTheDefaults() {
        RespondConfig config = new RespondConfig(null, null, null, null, null);

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.headers()).isEmpty();
        assertThat(config.body()).isEmpty();
        assertThat(config.maxHeaderSize()).isEqualTo(DataSize.ofKilobytes(16));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void givenSettingsAreKept() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Served-By", "junction");
        headers.put("Cache-Control", "no-store,\tmax-age=0");
        RespondConfig config = new RespondConfig(503, headers, "down for maintenance", DataSize.ofKilobytes(1),
                Duration.ofSeconds(5));

        assertThat(config.status()).isEqualTo(503);
        assertThat(config.headers()).containsExactlyInAnyOrderEntriesOf(headers);
        assertThat(config.body()).isEqualTo("down for maintenance");
        assertThat(config.maxHeaderSize()).isEqualTo(DataSize.ofBytes(1024));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void headersAreCopiedAndImmutable() {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-A", "1");
        RespondConfig config = new RespondConfig(null, headers, null, null, null);
        headers.put("X-B", "2");

        assertThat(config.headers()).containsOnlyKeys("X-A");
        assertThatThrownBy(() -> config.headers().put("X-C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204, 418, 503, 599})
    void statusesFrom200To599AreAccepted(int status) {
        assertThat(new RespondConfig(status, null, null, null, null).status()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 100, 199, 600, 999})
    void statusesOutOfRangeAreRefused(int status) {
        assertThatIllegalArgumentException().isThrownBy(() -> new RespondConfig(status, null, null, null, null))
                .withMessageStartingWith("status: ")
                .withMessageContaining(String.valueOf(status));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Bad", "X:Colon", "X(paren)", "X\"quote\"", "X/slash", "X@at", "Ünïcode", "X\tTab", "X\r\nInjected"})
    void invalidHeaderNamesAreRefused(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> new RespondConfig(null, Map.of(name, "v"), null, null, null))
                .withMessageStartingWith("headers: ")
                .withMessageContaining("is not a valid header name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Custom", "x_underscore", "Accept-CH", "X.dots~and!bang#$%&'*+^`|"})
    void tokenHeaderNamesAreAccepted(String name) {
        assertThat(new RespondConfig(null, Map.of(name, "v"), null, null, null).headers()).containsEntry(name, "v");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nSet-Cookie: x=1", "line\nfeed", "carriage\rreturn", "nul\0", "bell\u0007", "del\u007f", "esc\u001b[0m"})
    void headerValuesWithControlCharactersAreRefused(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> new RespondConfig(null, Map.of("X-Value", value), null, null, null))
                .withMessageStartingWith("headers: ")
                .withMessageContaining("X-Value");
    }

    @Test
    void aNullHeaderValueIsRefused() {
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Null", null);

        assertThatIllegalArgumentException().isThrownBy(() -> new RespondConfig(null, headers, null, null, null))
                .withMessageStartingWith("headers: ");
    }

    @Test
    void headerValuesMayHoldTabsAndBeEmpty() {
        RespondConfig config = new RespondConfig(null, Map.of("X-Tab", "a\tb", "X-Empty", ""), null, null, null);

        assertThat(config.headers()).containsEntry("X-Tab", "a\tb").containsEntry("X-Empty", "");
    }

    @Test
    void maxHeaderSizeFrom1KbTo1MbIsAccepted() {
        assertThat(new RespondConfig(null, null, null, DataSize.ofBytes(1024), null).maxHeaderSize().bytes()).isEqualTo(1024);
        assertThat(new RespondConfig(null, null, null, DataSize.parse("1MB"), null).maxHeaderSize().bytes()).isEqualTo(1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1023, 1024 * 1024 + 1, 1L << 40})
    void maxHeaderSizeOutOfBoundsIsRefused(long bytes) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RespondConfig(null, null, null, DataSize.ofBytes(bytes), null))
                .withMessageStartingWith("maxHeaderSize: ");
    }

    @Test
    void zeroIdleTimeoutIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RespondConfig(null, null, null, null, Duration.ZERO))
                .withMessageStartingWith("idleTimeout: ");
    }
}
