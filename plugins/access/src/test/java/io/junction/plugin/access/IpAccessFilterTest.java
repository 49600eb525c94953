package io.junction.plugin.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.api.protocol.ConnectionAddresses;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAccessFilterTest {

    private static boolean accepts(IpAccessConfig config, String client) {
        EmbeddedChannel channel = new EmbeddedChannel();
        ConnectionAddresses.set(channel, new ConnectionAddresses(new InetSocketAddress(client, 40000),
                new InetSocketAddress("127.0.0.1", 9000)));
        return new IpAccessFilter(config).accept(channel);
    }

    @Test
    void allowListAdmitsOnlyItsRanges() {
        IpAccessConfig config = new IpAccessConfig(List.of("10.0.0.0/8", "192.168.1.7"), null);
        assertThat(accepts(config, "10.20.30.40")).isTrue();
        assertThat(accepts(config, "192.168.1.7")).isTrue();
        assertThat(accepts(config, "192.168.1.8")).isFalse();
        assertThat(accepts(config, "11.0.0.1")).isFalse();
    }

    @Test
    void denyWinsOverAllow() {
        IpAccessConfig config = new IpAccessConfig(List.of("10.0.0.0/8"), List.of("10.1.0.0/16"));
        assertThat(accepts(config, "10.2.0.1")).isTrue();
        assertThat(accepts(config, "10.1.2.3")).isFalse();
    }

    @Test
    void denyOnlyAdmitsEverythingElse() {
        IpAccessConfig config = new IpAccessConfig(null, List.of("127.0.0.2/32", "2001:db8::/32"));
        assertThat(accepts(config, "127.0.0.1")).isTrue();
        assertThat(accepts(config, "127.0.0.2")).isFalse();
        assertThat(accepts(config, "2001:db8::1")).isFalse();
        assertThat(accepts(config, "2001:db9::1")).isTrue();
    }

    @Test
    void theAddressFromAProxyProtocolHeaderIsTheOneChecked() {
        IpAccessConfig config = new IpAccessConfig(List.of("203.0.113.0/24"), null);
        assertThat(accepts(config, "203.0.113.9")).isTrue(); // the socket peer of an EmbeddedChannel is not an IP at all
    }

    @Test
    void badRangesAreErrorsNamingTheField() {
        assertThatThrownBy(() -> new IpAccessConfig(List.of("10.0.0.0/33"), null)).hasMessageStartingWith("allow: ")
                .hasMessageContaining("prefix must be 0 to 32");
        assertThatThrownBy(() -> new IpAccessConfig(null, List.of("example.com"))).hasMessageStartingWith("deny: ")
                .hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> new IpAccessConfig(List.of("10.0.0.0/x"), null)).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> new IpAccessConfig(null, null)).hasMessageStartingWith("allow: give \"allow\" or \"deny\"");
    }
}
