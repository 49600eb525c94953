package io.junction.runtime.listener;

import io.junction.runtime.transport.ByteCounter;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetAddress;

/**
 * The first handler of a client connection: counts its bytes and, when the connection ends (its
 * pipeline is taken down), gives back what it held — the pipeline's active count and duration, and
 * the slots of the connection limits. One object per connection rather than a close listener per
 * concern, which an idle connection would otherwise carry three of.
 */
final class ClientTraffic extends ByteCounter {

    private final TrafficAccounting accounting;
    private final long openedAt;
    /** The limits the connection holds a slot of; null until it is admitted. */
    private ConnectionLimiter limiter;
    private boolean holdsOpenSlot;
    private InetAddress clientSlot;

    ClientTraffic(Counter received, Counter sent, TrafficAccounting accounting, long openedAt) {
        super(received, sent);
        this.accounting = accounting;
        this.openedAt = openedAt;
    }

    /** The connection counts against {@code limiter}'s pipeline-wide limit until it ends. */
    void holdOpenSlot(ConnectionLimiter limiter) {
        this.limiter = limiter;
        holdsOpenSlot = true;
    }

    /** The connection counts against {@code limiter}'s limit for {@code client} until it ends. */
    void holdClientSlot(ConnectionLimiter limiter, InetAddress client) {
        this.limiter = limiter;
        clientSlot = client;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) { // once per connection: Netty calls it once per handler added
        if (holdsOpenSlot) { // the slots first: once the active gauge shows the end, a new connection finds room
            limiter.closed();
        }
        if (clientSlot != null) {
            limiter.release(clientSlot);
        }
        accounting.closed(openedAt);
    }
}
