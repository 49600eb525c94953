package io.junction.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void parsesIpv4AndPort() {
        assertThat(HostPort.parse("127.0.0.1:8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
    }

    @Test
    void parsesHostNameAndTrims() {
        assertThat(HostPort.parse(" backend.internal:443 ")).isEqualTo(new HostPort("backend.internal", 443));
    }

    @Test
    void parsesIpv6InBrackets() {
        HostPort hp = HostPort.parse("[::1]:9000");

        assertThat(hp.host()).isEqualTo("::1");
        assertThat(hp.port()).isEqualTo(9000);
        assertThat(hp).hasToString("[::1]:9000");
    }

    @Test
    void ipv6WildcardRoundTrips() {
        HostPort hp = HostPort.parse("[::]:80");

        assertThat(hp).isEqualTo(new HostPort("::", 80));
        assertThat(HostPort.parse(hp.toString())).isEqualTo(hp);
    }

    @Test
    void portLimits() {
        assertThat(HostPort.parse("0.0.0.0:0").port()).isZero();
        assertThat(HostPort.parse("0.0.0.0:65535").port()).isEqualTo(65535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:65536", "127.0.0.1:-1", "[::1]:70000"})
    void rejectsPortOutOfRange(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse(text))
                .withMessageContaining("is outside 0-65535")
                .withMessageContaining("\"" + text + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:http", "127.0.0.1:80a", "[::1]", "[::1]:8o"})
    void rejectsPortThatIsNotANumber(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse(text))
                .withMessage("expected a port number in \"" + text + "\"");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"localhost", ":8080", "localhost:", "8080"})
    void rejectsTextWithoutHostAndPort(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse(text))
                .withMessage("expected host:port such as \"127.0.0.1:8080\", got \"" + text + "\"");
    }

    @Test
    void resolvesLiteralAddresses() {
        InetSocketAddress address = HostPort.parse("[::1]:9000").resolve();

        assertThat(address.isUnresolved()).isFalse();
        assertThat(address.getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.getPort()).isEqualTo(9000);
    }

    @Test
    void resolveFailsForUnknownHosts() {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("no-such-host.invalid:80").resolve())
                .withMessage("host \"no-such-host.invalid\" does not resolve");
    }
}
