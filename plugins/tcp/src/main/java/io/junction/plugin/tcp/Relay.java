package io.junction.plugin.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * Moves bytes from its channel to the peer channel. Both sides read freely (auto-read) while the
 * peer keeps up; when the peer's outbound buffer passes its high water mark (64 KB) this side stops
 * reading until the peer drains below the low mark, so memory per connection stays bounded whatever
 * the speed of either side, without an epoll change per read. A half-close (FIN) is passed on as a
 * half-close; when both directions are shut, or either side closes, both close. An I/O error (such
 * as a reset) closes the peer with a reset.
 */
abstract class Relay extends ChannelInboundHandlerAdapter {

    protected Channel peer;
    /** False on a backend side until it is handed the client (a TLS handshake may still fail and be retried). */
    boolean established = true;
    /** Set when both sides move bytes with splice(2) instead of through this handler. */
    boolean spliced;
    private boolean inputShutdown;
    private boolean shutdownBeforePeer;
    /** Bytes left to forward through this handler before the pair switches to splice(2). */
    private long untilSplice;
    private Runnable startSplice;

    /** Calls {@code start} once this side has forwarded {@code bytes} more bytes (see {@link Splicer#arm}). */
    void spliceAfter(long bytes, Runnable start) {
        this.untilSplice = bytes;
        this.startSplice = start;
    }

    /** Whether this side's peer has sent FIN. */
    boolean inputEnded() {
        return inputShutdown;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null || !peer.isActive()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (startSplice != null && msg instanceof ByteBuf buf) {
            untilSplice -= buf.readableBytes();
        }
        // A failed write surfaces as exceptionCaught on the peer, whose relay aborts both sides.
        peer.write(msg, peer.voidPromise());
        if (!peer.isWritable()) {
            // Pause first: the flush may drain the peer at once, and its writability event then resumes us.
            ctx.channel().config().setAutoRead(false);
            peer.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (spliced && inputShutdown) {
            // Netty's splice path re-enables reading after each spliced chunk; at EOF that would spin.
            ctx.channel().config().setAutoRead(false);
        } else if (peer != null) {
            peer.flush();
            if (startSplice != null && untilSplice <= 0 && !spliced) {
                startSplice.run();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer != null && peer.isActive()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Starts both sides reading once the backend is connected and early bytes are written. */
    static void startRelaying(Channel client, Channel backend) {
        client.config().setAutoRead(true);
        backend.config().setAutoRead(true);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            if (peer == null) {
                shutdownBeforePeer = true; // passed on once the backend is connected
            } else {
                if (spliced) {
                    Splicer.drainAfterFin(ctx.channel(), peer);
                }
                propagateShutdown(ctx.channel());
            }
        } else if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Whether this side's input ended before there was a peer to tell. */
    protected boolean pendingInputShutdown() {
        return shutdownBeforePeer;
    }

    /** This side sent FIN: shut the peer's output once everything before it has been written. */
    protected void propagateShutdown(Channel channel) {
        inputShutdown = true;
        if (!peer.isActive()) {
            channel.close();
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (peer instanceof DuplexChannel duplex && f.isSuccess()) {
                duplex.shutdownOutput();
            }
            Relay peerRelay = peer.pipeline().get(Relay.class);
            if (peerRelay != null && peerRelay.inputShutdown) {
                closeOnFlush(peer);
                closeOnFlush(channel);
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer != null && established) {
            closeOnFlush(peer);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException && peer != null && established) {
            abort(peer); // pass a reset on as a reset
        }
        ctx.close();
    }

    static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Closes with SO_LINGER 0, so the peer sees a reset, as the other side did. */
    static void abort(Channel channel) {
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException ignored) {
                // the socket may already be gone; closing is what matters
            }
            channel.close();
        }
    }
}
