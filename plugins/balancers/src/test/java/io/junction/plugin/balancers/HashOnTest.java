package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.junction.api.upstream.PickContext;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashOnTest {

    private static PickContext request(Map<String, String> attributes) {
        return PickContext.forClient(new InetSocketAddress("192.0.2.7", 40_000)).withAttributes(attributes::get);
    }

    @Test
    void sourceIpHashesTheAddressWithoutThePort() {
        HashOn hashOn = HashOn.parse("hashOn", "source-ip");
        long first = hashOn.hash(PickContext.forClient(new InetSocketAddress("192.0.2.7", 40_000)));

        assertThat(hashOn.hash(PickContext.forClient(new InetSocketAddress("192.0.2.7", 51_234)))).isEqualTo(first);
        assertThat(hashOn.hash(PickContext.forClient(new InetSocketAddress("192.0.2.8", 40_000)))).isNotEqualTo(first);
        assertThat(hashOn.hash(PickContext.forClient(new InetSocketAddress("2001:db8::7", 40_000))))
                .isNotEqualTo(first)
                .isNotEqualTo(hashOn.hash(PickContext.forClient(new InetSocketAddress("2001:db8::8", 40_000))));
        assertThat(hashOn.hash(PickContext.forClient(null))).isEqualTo(HashOn.ABSENT);
    }

    @Test
    void attributesAreLookedUpByTheirProtocolNames() {
        PickContext context = request(Map.of("header:x-user", "alice", "cookie:Session", "s1", "path", "/a", "sni", "a.example"));

        assertThat(HashOn.parse("hashOn", "header:X-User").hash(context)).isEqualTo(Hashing.hash("alice", 0x6a756e6374696f6eL));
        assertThat(HashOn.parse("hashOn", "cookie:Session").hash(context)).isNotEqualTo(HashOn.ABSENT);
        assertThat(HashOn.parse("hashOn", "cookie:session").hash(context)).as("cookie names are case-sensitive")
                .isEqualTo(HashOn.ABSENT);
        assertThat(HashOn.parse("hashOn", "path").hash(context)).isNotEqualTo(HashOn.ABSENT);
        assertThat(HashOn.parse("hashOn", "sni").hash(context)).isNotEqualTo(HashOn.ABSENT);
        assertThat(HashOn.parse("hashOn", "header:x-other").hash(context)).isEqualTo(HashOn.ABSENT);
    }

    @Test
    void badValuesNameTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> HashOn.parse("hashOn", "client"))
                .withMessage("hashOn: expected \"source-ip\", \"header:<name>\", \"cookie:<name>\", \"path\" or \"sni\", got \"client\"");
        assertThatIllegalArgumentException().isThrownBy(() -> HashOn.parse("hashOn", "header:"))
                .withMessage("hashOn: a name must follow \"header:\"");
        assertThatIllegalArgumentException().isThrownBy(() -> HashOn.parse("hashOn", "cookie:a b"))
                .withMessage("hashOn: \"a b\" is not a valid cookie name");
        assertThatIllegalArgumentException().isThrownBy(() -> HashOn.parse("hashOn", "header:x:y"))
                .withMessage("hashOn: \"x:y\" is not a valid header name");
    }
}
