package io.junction.plugin.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The http check's config: defaults, and a message naming the field for each bad value. */
class HttpHealthCheckConfigTest {

    private static HttpHealthCheckConfig config(String method, String path, String host, List<String> expected, String bodyContains,
            Map<String, String> headers) {
        return new HttpHealthCheckConfig(method, path, host, expected, bodyContains, headers);
    }

    @Test
    void defaults() {
        HttpHealthCheckConfig config = config(null, null, null, null, null, null);

        assertThat(config.method()).isEqualTo("GET");
        assertThat(config.path()).isEqualTo("/");
        assertThat(config.host()).isNull();
        assertThat(config.expectedStatuses()).containsExactly("200-399");
        assertThat(config.bodyContains()).isNull();
        assertThat(config.headers()).isEmpty();
    }

    @Test
    void onlySafeMethodsAreAllowed() {
        assertThat(config("HEAD", null, null, null, null, null).method()).isEqualTo("HEAD");
        assertThat(config("OPTIONS", null, null, null, null, null).method()).isEqualTo("OPTIONS");
        assertThatIllegalArgumentException().isThrownBy(() -> config("POST", null, null, null, null, null))
                .withMessage("method: expected GET, HEAD or OPTIONS, got \"POST\"");
        assertThatIllegalArgumentException().isThrownBy(() -> config("get", null, null, null, null, null))
                .withMessage("method: expected GET, HEAD or OPTIONS, got \"get\"");
    }

    @Test
    void badPathsNameTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, "health", null, null, null, null))
                .withMessage("path: must start with /, got \"health\"");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, "/a b", null, null, null, null))
                .withMessageStartingWith("path: must be printable ASCII without spaces");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, "/\r\nX: y", null, null, null, null))
                .withMessageStartingWith("path: must be printable ASCII without spaces");
    }

    @Test
    void badHostsNameTheField() {
        assertThat(config(null, null, "api.internal:8080", null, null, null).host()).isEqualTo("api.internal:8080");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, "", null, null, null))
                .withMessageStartingWith("host: must be a host or host:port");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, "a b", null, null, null))
                .withMessageStartingWith("host: must be a host or host:port");
    }

    @Test
    void expectedStatusesAreStatusesOrRanges() {
        StatusRanges ranges = StatusRanges.of(config(null, null, null, List.of("204", "300-302"), null, null).expectedStatuses());
        assertThat(ranges.contains(204)).isTrue();
        assertThat(ranges.contains(301)).isTrue();
        assertThat(ranges.contains(200)).isFalse();
        assertThat(ranges.contains(303)).isFalse();

        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, List.of(), null, null))
                .withMessage("expectedStatuses: must name at least one status or range");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, List.of("2xx"), null, null))
                .withMessage("expectedStatuses: \"2xx\" is not a status (200) or a range (200-399)");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, List.of("200-"), null, null))
                .withMessage("expectedStatuses: \"200-\" is not a status (200) or a range (200-399)");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, List.of("600"), null, null))
                .withMessage("expectedStatuses: \"600\" is outside 100 to 599");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, List.of("399-200"), null, null))
                .withMessage("expectedStatuses: \"399-200\" is an empty range (the lower status comes first)");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, Arrays.asList("200", null), null, null))
                .withMessage("expectedStatuses: null is not a status (200) or a range (200-399)");
    }

    @Test
    void bodyContainsMustBeSomethingThatFitsIn64KiB() {
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, null, "", null))
                .withMessage("bodyContains: must not be empty (leave it out to check the status only)");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, null, "x".repeat(64 * 1024 + 1), null))
                .withMessage("bodyContains: must be at most 64 KiB, the part of the body the check reads");
    }

    @Test
    void headersAreValidAndLeaveTheCheckItsOwn() {
        assertThat(config(null, null, null, null, null, Map.of("Authorization", "Bearer x")).headers())
                .containsEntry("Authorization", "Bearer x");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, null, null, Map.of("Bad Name", "x")))
                .withMessage("headers: \"Bad Name\" is not a valid header name");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, null, null, Map.of("X-A", "a\r\nb")))
                .withMessage("headers: the value of \"X-A\" must be text without control characters");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, null, null, Map.of("host", "x")))
                .withMessage("headers: set the Host header with \"host\"");
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, null, null, Map.of("Connection", "keep-alive")))
                .withMessage("headers: \"Connection\" is set by the check");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("X-A", null);
        assertThatIllegalArgumentException().isThrownBy(() -> config(null, null, null, null, null, nullValue))
                .withMessage("headers: the value of \"X-A\" must be text without control characters");
    }
}
