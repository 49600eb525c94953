package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.plugin.http.HttpProxyConfig.EscapedSlashes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PathNormalizerTest {

    private final PathNormalizer plain = new PathNormalizer(false, EscapedSlashes.keep);

    @Test
    void aNormalPathIsReturnedAsItIs() throws Exception {
        String path = "/api/v1/users/42.json";
        assertThat(plain.normalize(path)).isSameAs(path);
        String slashes = "/a//b/";
        assertThat(plain.normalize(slashes)).isSameAs(slashes);
    }

    @ParameterizedTest
    @CsvSource({
            // RFC 3986 5.2.4's own example, and dot segments at every place
            "/a/b/c/./../../g, /a/g",
            "/./a, /a",
            "/a/., /a/",
            "/a/.., /",
            "/a/b/.., /a/",
            "/.., /",
            "/../../x, /x",
            "/., /",
            "/a/./b/../../c/, /c/",
            "/static/../admin, /admin",
            // segments that only look like dots stay
            "/.hidden/..x/x.., /.hidden/..x/x..",
            "/a/.../b, /a/.../b",
            // unreserved characters are decoded, other encodings get upper-case hex
            "/%61dmin, /admin",
            "/%7Euser/%2d%2E%5F, /~user/-._",
            "/a%20b, /a%20b",
            "/a%2fb, /a%2Fb",
            "/%c3%a9t%C3%A9, /%C3%A9t%C3%A9",
            "/%00, /%00",
            // a decoded dot is a dot: dot segments go after decoding
            "/%2e%2e/admin, /admin",
            "/public/%2E%2E/%2e/admin, /admin",
            "/x/.%2e/y, /y",
            // empty segments stay unless merged
            "/a//../b, /a/b",
            "*, *"
    })
    void normalizes(String raw, String expected) throws Exception {
        assertThat(plain.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "//a///b//, /a/b/",
            "//, /",
            "/a//./b, /a/b",
            "/a/..//b, /b",
            "/a//, /a/"
    })
    void mergesSlashesWhenAsked(String raw, String expected) throws Exception {
        assertThat(new PathNormalizer(true, EscapedSlashes.keep).normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%", "/a%2", "/a%zz", "/a%2g/b", "/%%41"})
    void refusesAnInvalidPercentEncoding(String raw) {
        assertThatThrownBy(() -> plain.normalize(raw)).isInstanceOf(PathNormalizer.InvalidPath.class)
                .hasMessageContaining("invalid percent-encoding")
                .satisfies(e -> assertThat(((PathNormalizer.InvalidPath) e).reason()).isEqualTo("invalid-path"));
    }

    @Test
    void refusesEscapedSlashesWhenAsked() {
        PathNormalizer reject = new PathNormalizer(false, EscapedSlashes.reject);
        for (String raw : new String[] {"/a%2Fb", "/a%2fb", "/a%5Cb", "/a%5c..%5cb"}) {
            assertThatThrownBy(() -> reject.normalize(raw)).as(raw).isInstanceOf(PathNormalizer.InvalidPath.class)
                    .satisfies(e -> assertThat(((PathNormalizer.InvalidPath) e).reason()).isEqualTo("escaped-slash-in-path"));
        }
    }

    @Test
    void decodedSlashesTakePartInDotSegments() throws Exception {
        PathNormalizer decode = new PathNormalizer(false, EscapedSlashes.decode);
        assertThat(decode.normalize("/public%2F..%2Fadmin")).isEqualTo("/admin");
        assertThat(decode.normalize("/a%5Cb")).isEqualTo("/a\\b");
        assertThat(plain.normalize("/public%2F..%2Fadmin")).isEqualTo("/public%2F..%2Fadmin");
    }

    @Test
    void manySegments() throws Exception {
        String raw = "/s".repeat(40) + "/../t";
        assertThat(plain.normalize(raw)).isEqualTo("/s".repeat(39) + "/t");
    }
}
