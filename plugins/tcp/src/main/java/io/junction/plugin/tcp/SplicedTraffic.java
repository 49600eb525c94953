package io.junction.plugin.tcp;

import io.junction.api.protocol.SocketByteTotals;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reports the bytes of a spliced socket, which never pass through its pipeline, to the runtime's
 * byte counters: the kernel's totals from {@code TCP_INFO} as a {@link SocketByteTotals} event, on
 * each idle check and just before the connection is closed. Received is {@code tcpi_bytes_received};
 * sent is what was handed to the socket, {@code tcpi_bytes_sent - tcpi_bytes_retrans +
 * tcpi_notsent_bytes} (Linux 4.19+), or {@code tcpi_bytes_acked} on older kernels. A connection the
 * kernel resets loses what it moved since the last report.
 */
final class SplicedTraffic extends ChannelOutboundHandlerAdapter {

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    private static final int BYTES_ACKED_OFFSET = 120;
    private static final int BYTES_RECEIVED_OFFSET = 128;
    // TCP states (include/net/tcp_states.h)
    private static final int FIN_WAIT2 = 5;
    private static final int TIME_WAIT = 6;
    private static final int CLOSE = 7;
    private static final int CLOSE_WAIT = 8;
    private static final int LAST_ACK = 9;
    private static final int CLOSING = 11;
    private static final int NOTSENT_BYTES_OFFSET = 144;
    private static final int BYTES_SENT_OFFSET = 200;
    private static final int BYTES_RETRANS_OFFSET = 208;
    private static final RawUnixChannelOption TCP_INFO_OPTION =
            new RawUnixChannelOption("TCP_INFO", IPPROTO_TCP, TCP_INFO, BYTES_RETRANS_OFFSET + Long.BYTES);

    /** Whether this side of the connection sent the SYN: the kernel then counts it as an acknowledged byte. */
    private final boolean connected;

    private SplicedTraffic(boolean connected) {
        this.connected = connected;
    }

    /** Reports before every close of the channel; {@code connected} for the side Junction opened. */
    static void install(Channel channel, boolean connected) {
        channel.pipeline().addFirst("spliced-traffic", new SplicedTraffic(connected));
    }

    /** Fires the socket's totals from its pipeline's head; nothing if the socket is already closed. */
    static void report(Channel channel) {
        SplicedTraffic traffic = channel.pipeline().get(SplicedTraffic.class);
        if (traffic != null && channel.isOpen()) {
            traffic.reportTotals(channel);
        }
    }

    private void reportTotals(Channel channel) {
        ByteBuffer info;
        try {
            info = channel.config().getOption(TCP_INFO_OPTION);
        } catch (RuntimeException e) { // ChannelException: the socket closed under us
            return;
        }
        if (info == null) {
            return;
        }
        info.order(ByteOrder.nativeOrder());
        // The kernel counts a received FIN as a byte of sequence space: take it off. Where the state
        // cannot tell (CLOSE: after both FINs or a reset), err low; the next, larger total corrects it.
        int state = info.get(0) & 0xff;
        Relay relay = channel.pipeline().get(Relay.class);
        boolean finReceived = state == CLOSE_WAIT || state == LAST_ACK || state == CLOSING || state == TIME_WAIT
                || state == CLOSE || (relay != null && relay.inputEnded());
        long received = info.getLong(BYTES_RECEIVED_OFFSET) - (finReceived ? 1 : 0);
        long bytesSent = info.getLong(BYTES_SENT_OFFSET);
        long sent;
        if (bytesSent > 0) {
            long notSent = info.getInt(NOTSENT_BYTES_OFFSET) & 0xffffffffL;
            if (notSent > 0 && channel instanceof DuplexChannel duplex && duplex.isOutputShutdown()) {
                notSent--; // a queued FIN takes the last sequence number, and it is no byte
            }
            sent = bytesSent - info.getLong(BYTES_RETRANS_OFFSET) + notSent;
        } else { // before Linux 4.19: acknowledged bytes, where SYN (ours) and FIN count one each
            boolean finAcked = state == FIN_WAIT2 || state == TIME_WAIT || state == CLOSE;
            sent = info.getLong(BYTES_ACKED_OFFSET) - (finAcked ? 1 : 0) - (connected ? 1 : 0);
        }
        channel.pipeline().fireUserEventTriggered(new SocketByteTotals(received, sent));
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (ctx.channel().isOpen()) {
            reportTotals(ctx.channel());
        }
        super.close(ctx, promise);
    }
}
