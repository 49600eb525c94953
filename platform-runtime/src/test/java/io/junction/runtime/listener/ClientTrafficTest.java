package io.junction.runtime.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.runtime.config.LimitsSection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A connection's end, settled by its byte counter: the active count, the duration and the limit slots. */
class ClientTrafficTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TrafficAccounting accounting = new TrafficAccounting("p", registry);
    private final ConnectionLimiter limiter = new ConnectionLimiter(new LimitsSection(1, 1, null));

    @Test
    void theEndOfAConnectionGivesBackItsSlotsAndIsCountedOnce() throws Exception {
        InetAddress client = InetAddress.getLoopbackAddress();
        EmbeddedChannel first = new EmbeddedChannel();
        ClientTraffic traffic = accounting.opened(first);
        assertThat(limiter.admit(traffic)).isNull();
        assertThat(limiter.admitClient(traffic, client)).isNull();
        assertThat(accounting.active()).isEqualTo(1);

        EmbeddedChannel second = new EmbeddedChannel();
        ClientTraffic refused = accounting.opened(second);
        assertThat(limiter.admit(refused)).isEqualTo(ConnectionLimiter.Rejection.MAX_CONNECTIONS);
        second.close().sync();
        assertThat(accounting.active()).as("a refused connection counted while it was open").isEqualTo(1);

        first.pipeline().remove(TrafficAccounting.NAME); // taken out early: the end is settled then, and only then
        first.close().sync();
        assertThat(accounting.active()).isZero();
        assertThat(registry.get("junction.pipeline.connection.duration").timer().count()).isEqualTo(2);

        EmbeddedChannel third = new EmbeddedChannel();
        ClientTraffic again = accounting.opened(third);
        assertThat(limiter.admit(again)).as("the pipeline-wide slot came back").isNull();
        assertThat(limiter.admitClient(again, client)).as("the client's slot came back").isNull();
        third.close().sync();
        assertThat(accounting.active()).isZero();
    }
}
