package io.junction.runtime.upstream;

import io.junction.runtime.transport.MessageSize;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes sent to and received from one endpoint: the first handler of every connection
 * to it ({@link DefaultEndpoint#track}). Bytes moved by splice(2) bypass channel pipelines and are
 * not counted here.
 */
@ChannelHandler.Sharable
final class EndpointTraffic extends ChannelDuplexHandler {

    static final String NAME = "junction-endpoint-traffic";

    private final Counter sent;
    private final Counter received;

    EndpointTraffic(Tags tags, MeterRegistry metrics) {
        sent = Counter.builder("junction.upstream.endpoint.sent.bytes").description("Bytes sent to the endpoint")
                .baseUnit("bytes").tags(tags).register(metrics);
        received = Counter.builder("junction.upstream.endpoint.received.bytes").description("Bytes received from the endpoint")
                .baseUnit("bytes").tags(tags).register(metrics);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received.increment(MessageSize.of(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        sent.increment(MessageSize.of(msg));
        ctx.write(msg, promise);
    }
}
