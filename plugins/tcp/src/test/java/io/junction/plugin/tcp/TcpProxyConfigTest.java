package io.junction.plugin.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProxyConfigTest {

    @Test
    void absentSettingsGetTheDefaults() {
        TcpProxyConfig config = new TcpProxyConfig(null, null, null, null, null, null);

        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.connectAttempts()).isEqualTo(3);
        assertThat(config.splice()).isTrue();
        assertThat(config.spliceAfter().bytes()).isEqualTo(64 * 1024);
    }

    @Test
    void givenSettingsAreKept() {
        TcpProxyConfig config = new TcpProxyConfig(Duration.ofMillis(250), Duration.ofMinutes(30), 10, null, false,
                io.junction.api.config.DataSize.ofBytes(0));

        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.connectAttempts()).isEqualTo(10);
        assertThat(config.splice()).isFalse();
        assertThat(config.spliceAfter().bytes()).isZero();
    }

    @Test
    void boundsAreInclusive() {
        assertThat(new TcpProxyConfig(Duration.ofMillis(1), Duration.ofMillis(1), 1, null, null, null).connectAttempts()).isEqualTo(1);
        assertThat(new TcpProxyConfig(Duration.ofMillis(Integer.MAX_VALUE), null, null, null, null, null).connectTimeout())
                .isEqualTo(Duration.ofMillis(Integer.MAX_VALUE));
    }

    @Test
    void zeroConnectTimeoutIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpProxyConfig(Duration.ZERO, null, null, null, null, null))
                .withMessageStartingWith("connectTimeout: ");
    }

    @Test
    void connectTimeoutBeyondAnIntOfMillisecondsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TcpProxyConfig(Duration.ofMillis(Integer.MAX_VALUE + 1L), null, null, null, null, null))
                .withMessageStartingWith("connectTimeout: ");
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpProxyConfig(Duration.ofDays(25), null, null, null, null, null))
                .withMessageStartingWith("connectTimeout: ");
    }

    @Test
    void zeroIdleTimeoutIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpProxyConfig(null, Duration.ZERO, null, null, null, null))
                .withMessageStartingWith("idleTimeout: ");
    }

    @Test
    void connectAttemptsOutOfRangeAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpProxyConfig(null, null, 0, null, null, null))
                .withMessageStartingWith("connectAttempts: ")
                .withMessageContaining("got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpProxyConfig(null, null, -1, null, null, null))
                .withMessageStartingWith("connectAttempts: ");
        assertThatIllegalArgumentException().isThrownBy(() -> new TcpProxyConfig(null, null, 11, null, null, null))
                .withMessageStartingWith("connectAttempts: ")
                .withMessageContaining("got 11");
    }
}
