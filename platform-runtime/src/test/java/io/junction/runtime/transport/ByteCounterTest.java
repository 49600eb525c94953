package io.junction.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.protocol.SocketByteTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ByteCounterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter received = registry.counter("received");
    private final Counter sent = registry.counter("sent");
    private final EmbeddedChannel channel = new EmbeddedChannel(new ByteCounter(received, sent));

    @Test
    void countsWhatPassesThroughThePipeline() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[30]));

        assertThat(received.count()).isEqualTo(100);
        assertThat(sent.count()).isEqualTo(30);
        releaseAll();
    }

    @Test
    void kernelTotalsAddOnlyWhatThePipelineDidNotSee() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[100]));
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[30]));

        channel.pipeline().fireUserEventTriggered(new SocketByteTotals(1_000, 20)); // 20: not all acknowledged yet
        assertThat(received.count()).isEqualTo(1_000);
        assertThat(sent.count()).isEqualTo(30);

        channel.pipeline().fireUserEventTriggered(new SocketByteTotals(900, 5_000)); // a smaller total never subtracts
        assertThat(received.count()).isEqualTo(1_000);
        assertThat(sent.count()).isEqualTo(5_000);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[10]));
        assertThat(received.count()).isEqualTo(1_010);
        releaseAll();
    }

    private void releaseAll() {
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            ((ByteBuf) msg).release();
        }
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            ((ByteBuf) msg).release();
        }
        channel.finishAndReleaseAll();
    }
}
