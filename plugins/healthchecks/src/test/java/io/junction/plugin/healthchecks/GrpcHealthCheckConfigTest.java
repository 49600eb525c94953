package io.junction.plugin.healthchecks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The grpc check's config: defaults, and a message naming the field for each bad value. */
class GrpcHealthCheckConfigTest {

    @Test
    void defaults() {
        GrpcHealthCheckConfig config = new GrpcHealthCheckConfig(null, null);

        assertThat(config.service()).isEmpty();
        assertThat(config.authority()).isNull();
    }

    @Test
    void badServicesNameTheField() {
        assertThat(new GrpcHealthCheckConfig("shop.v1.Orders", null).service()).isEqualTo("shop.v1.Orders");
        assertThatIllegalArgumentException().isThrownBy(() -> new GrpcHealthCheckConfig("shop orders", null))
                .withMessageStartingWith("service: expected a service name such as \"my.package.MyService\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new GrpcHealthCheckConfig("a\nb", null))
                .withMessageStartingWith("service: expected a service name");
        assertThatIllegalArgumentException().isThrownBy(() -> new GrpcHealthCheckConfig("s".repeat(1025), null))
                .withMessageStartingWith("service: expected a service name");
    }

    @Test
    void badAuthoritiesNameTheField() {
        assertThat(new GrpcHealthCheckConfig(null, "orders.internal:443").authority()).isEqualTo("orders.internal:443");
        assertThatIllegalArgumentException().isThrownBy(() -> new GrpcHealthCheckConfig(null, ""))
                .withMessage("authority: must be a host or host:port in printable ASCII without spaces, got \"\"");
        assertThatIllegalArgumentException().isThrownBy(() -> new GrpcHealthCheckConfig(null, "a b"))
                .withMessageStartingWith("authority: must be a host or host:port");
        assertThatIllegalArgumentException().isThrownBy(() -> new GrpcHealthCheckConfig(null, "host/path"))
                .withMessageStartingWith("authority: must be a host or host:port");
    }
}
