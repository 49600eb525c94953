package io.junction.plugin.http.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "example.com", "EXAMPLE.com:0", "example.com:65535", "127.0.0.1", "256.1.1.1", "a-b_c~d.e",
        "%41bc", "!$&'()*+,;=", "[::]", "[::1]:80", "[1:2:3:4:5:6:7:8]", "[1::]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:1.2.3.4]",
        "[fe80::1:2]", "[v7.abc:def]"})
    void validAuthorities(String authority) {
        assertThat(HostSyntax.isValid(authority)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":80", "a:", "a:65536", "a:123456", "a:8x", "a b", "a/b", "a?b", "u@a", "a:1:2", "%4", "%zz",
        "[::1", "::1", "[::1]x", "[::1]:", "[1:2:3:4:5:6:7:8:9]", "[1:2:3:4:5:6:7]", "[1::2::3]", "[12345::]", "[:1]", "[1:]",
        "[::1%eth0]", "[::256.1.1.1]", "[::1.2.3]", "[::01.2.3.4]", "[]", "[v.x]", "[v1.]", "caf\u00e9"})
    void invalidAuthorities(String authority) {
        assertThat(HostSyntax.isValid(authority)).isFalse();
    }
}
