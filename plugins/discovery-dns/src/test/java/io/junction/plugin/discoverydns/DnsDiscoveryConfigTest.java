package io.junction.plugin.discoverydns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.junction.plugin.discoverydns.DnsDiscoveryConfig.IpVersions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsDiscoveryConfigTest {

    @Test
    void absentSettingsGetTheDefaults() {
        DnsDiscoveryConfig config = new DnsDiscoveryConfig("backend.internal", 8080, null, null, null, null, null);

        assertThat(config.weight()).isEqualTo(1);
        assertThat(config.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.ipVersions()).isEqualTo(IpVersions.both);
        assertThat(config.nameservers()).isEmpty();
    }

    @Test
    void givenSettingsAreKept() {
        DnsDiscoveryConfig config = new DnsDiscoveryConfig("backend.internal.", 65535, 1000, Duration.ofDays(1),
                Duration.ofMillis(10), IpVersions.ipv6, List.of("10.0.0.2", "127.0.0.1:5353", "[::1]:53"));

        assertThat(config.name()).isEqualTo("backend.internal.");
        assertThat(config.port()).isEqualTo(65535);
        assertThat(config.weight()).isEqualTo(1000);
        assertThat(config.interval()).isEqualTo(Duration.ofDays(1));
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.ipVersions()).isEqualTo(IpVersions.ipv6);
        assertThat(Nameservers.parseAll(config.nameservers())).containsExactly(
                new InetSocketAddress("10.0.0.2", 53), new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("::1", 53));
    }

    @Test
    void aMissingOrMalformedNameIsRefused() {
        refused("name: required", null, 80);
        refused("name: required", " ", 80);
        refused("name: \"10.0.0.7\" is an IP address", "10.0.0.7", 80);
        refused("name: \"::1\" is an IP address", "::1", 80);
        refused("name: \"backend..internal\" has an empty label", "backend..internal", 80);
        refused("name: \"" + "a".repeat(64) + ".internal\" has an empty label or one longer than 63", "a".repeat(64) + ".internal", 80);
        refused("name: longer than 253", ("a".repeat(60) + ".").repeat(5), 80);
        refused("name: \"backend internal\" holds ' '", "backend internal", 80);
        refused("name: \"backend:8080\" holds ':'", "backend:8080", 80);
    }

    @Test
    void aMissingOrOutOfRangePortIsRefused() {
        refused("port: required", "backend", null);
        refused("port: expected 1 to 65535, got 0", "backend", 0);
        refused("port: expected 1 to 65535, got 65536", "backend", 65536);
    }

    @Test
    void weightOutOfRangeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DnsDiscoveryConfig("backend", 80, 0, null, null, null, null))
                .withMessage("weight: expected 1 to 1000, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new DnsDiscoveryConfig("backend", 80, 1001, null, null, null, null))
                .withMessage("weight: expected 1 to 1000, got 1001");
    }

    @Test
    void intervalOutsideOneSecondToOneDayIsRefused() {
        assertThat(new DnsDiscoveryConfig("backend", 80, null, Duration.ofSeconds(1), null, null, null).interval())
                .isEqualTo(Duration.ofSeconds(1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DnsDiscoveryConfig("backend", 80, null, Duration.ofMillis(999), null, null, null))
                .withMessageStartingWith("interval: must be between 1s and 1d");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DnsDiscoveryConfig("backend", 80, null, Duration.ofDays(1).plusMillis(1), null, null, null))
                .withMessageStartingWith("interval: ");
    }

    @Test
    void timeoutOutsideTenMillisecondsToOneMinuteIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DnsDiscoveryConfig("backend", 80, null, null, Duration.ofMillis(9), null, null))
                .withMessageStartingWith("timeout: must be between 10ms and 1m");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DnsDiscoveryConfig("backend", 80, null, null, Duration.ofSeconds(61), null, null))
                .withMessageStartingWith("timeout: ");
    }

    @Test
    void aNameserverThatIsNotAnAddressWithAnOptionalPortIsRefused() {
        nameserverRefused("nameservers[1]: \"dns.internal:53\" is not an IP address", "10.0.0.2", "dns.internal:53");
        nameserverRefused("nameservers[0]: expected \"ip\" or \"ip:port\", got an empty string", "");
        nameserverRefused("nameservers[0]: \"10.0.0.2:0\": port expected 1 to 65535, got 0", "10.0.0.2:0");
        nameserverRefused("nameservers[0]: \"10.0.0.2:dns\" has no valid port", "10.0.0.2:dns");
        nameserverRefused("nameservers[0]: \"[::1\" has no closing ']'", "[::1");
        nameserverRefused("nameservers[0]: expected \"[ipv6]:port\", got \"[::1]53\"", "[::1]53");
    }

    private static void refused(String message, String name, Integer port) {
        assertThatIllegalArgumentException().isThrownBy(() -> new DnsDiscoveryConfig(name, port, null, null, null, null, null))
                .withMessageStartingWith(message);
    }

    private static void nameserverRefused(String message, String... nameservers) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DnsDiscoveryConfig("backend", 80, null, null, null, null, List.of(nameservers)))
                .withMessageStartingWith(message);
    }
}
