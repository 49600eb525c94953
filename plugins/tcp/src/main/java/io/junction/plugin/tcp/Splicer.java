package io.junction.plugin.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Zero-copy forwarding: once both sides are connected, bytes move socket to pipe to socket inside
 * the kernel with splice(2) and never enter the JVM. Only on the epoll transport. Backpressure holds:
 * a side stops being read while its bytes wait in the pipe for the other side. Half-closes still
 * reach the relays as events. Bytes moved this way bypass the channel pipelines, so the byte
 * counters do not see them, and idleness is read from the kernel's TCP_INFO instead of from reads
 * and writes.
 *
 * <p>Off by default: Netty's splice path shuts a socket's input as soon as the peer's FIN is
 * flagged (EPOLLRDHUP), even when bytes are still queued in the socket, so a side that sends and
 * closes at once can lose its tail. Safe only where peers read everything before closing.
 */
final class Splicer {

    private Splicer() {
    }

    /** Starts splicing both ways if configured and possible; false to relay through the JVM instead. */
    @SuppressWarnings("deprecation") // Netty marks spliceTo for later removal; nothing replaces it yet
    static boolean start(Channel client, Channel backend, TcpProxyConfig config) {
        if (!config.splice() || !(client instanceof AbstractEpollStreamChannel from)
                || !(backend instanceof AbstractEpollStreamChannel to)) {
            return false;
        }
        ChannelFutureListener onFailure = f -> {
            if (!f.isSuccess()) {
                Relay.closeOnFlush(client);
                Relay.closeOnFlush(backend);
            }
        };
        from.spliceTo(to, Integer.MAX_VALUE).addListener(onFailure);
        to.spliceTo(from, Integer.MAX_VALUE).addListener(onFailure);
        if (client.pipeline().get(IdleStateHandler.class) != null) {
            client.pipeline().remove(IdleStateHandler.class);
        }
        watchIdle(client, backend, config.idleTimeout().toMillis());
        client.config().setAutoRead(true);
        backend.config().setAutoRead(true);
        return true;
    }

    /** Closes both sides when neither socket has sent or received data for {@code idleMillis}. */
    private static void watchIdle(Channel client, Channel backend, long idleMillis) {
        if (!(client instanceof EpollSocketChannel c) || !(backend instanceof EpollSocketChannel b)) {
            return;
        }
        long period = Math.max(100, Math.min(idleMillis / 4, 60_000));
        EpollTcpInfo info = new EpollTcpInfo();
        ScheduledFuture<?> check = client.eventLoop().scheduleAtFixedRate(() -> {
            if (c.isActive() && b.isActive() && quietFor(c, info) >= idleMillis && quietFor(b, info) >= idleMillis) {
                client.close();
                backend.close();
            }
        }, period, period, TimeUnit.MILLISECONDS);
        client.closeFuture().addListener(f -> check.cancel(false));
    }

    private static long quietFor(EpollSocketChannel channel, EpollTcpInfo info) {
        channel.tcpInfo(info);
        return Math.min(info.lastDataRecv(), info.lastDataSent());
    }
}
