package io.junction.runtime.transport;

import io.junction.api.protocol.SocketByteTotals;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The first handler of a connection: adds the bytes read from and written to it to two counters.
 * One per connection, so that it can also take the kernel's totals for bytes moved outside the
 * pipeline ({@link SocketByteTotals}) and count only what it has not seen. A listener's client
 * connections carry a subclass that also settles the connection's accounting when it ends.
 */
public class ByteCounter extends ChannelDuplexHandler {

    private final Counter received;
    private final Counter sent;
    private long receivedSoFar;
    private long sentSoFar;

    public ByteCounter(Counter received, Counter sent) {
        this.received = received;
        this.sent = sent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long size = MessageSize.of(msg);
        receivedSoFar += size;
        received.increment(size);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long size = MessageSize.of(msg);
        sentSoFar += size;
        sent.increment(size);
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SocketByteTotals totals) {
            if (totals.received() > receivedSoFar) {
                received.increment(totals.received() - receivedSoFar);
                receivedSoFar = totals.received();
            }
            if (totals.sent() > sentSoFar) {
                sent.increment(totals.sent() - sentSoFar);
                sentSoFar = totals.sent();
            }
        }
        ctx.fireUserEventTriggered(event);
    }
}
