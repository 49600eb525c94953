package io.junction.plugin.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollMode;
import io.junction.api.runtime.EventLoops;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Zero-copy forwarding: once both sides are connected, bytes move socket to pipe to socket inside
 * the kernel with splice(2) and never enter the JVM. Only on the epoll transport. Backpressure holds:
 * a side stops being read while its bytes wait in the pipe for the other side. Bytes moved this way
 * bypass the channel pipelines, so {@link SplicedTraffic} reports the kernel's byte totals to the
 * runtime's counters, and idleness is read from the kernel's TCP_INFO instead of from reads and writes.
 *
 * <p>Half-close needs care: Netty's splice path reports the peer's FIN (EPOLLRDHUP) as soon as it
 * is flagged, possibly with bytes still queued in the socket, which it then stops splicing. So when a
 * spliced side's input ends, {@link #drainAfterFin} reads what is left (everything up to the FIN is
 * already in the socket) and queues it behind the spliced bytes before the FIN is passed on.
 */
final class Splicer {

    private Splicer() {
    }

    /** True when connections are to be spliced: configured so, and on the epoll transport. */
    static boolean enabled(TcpProxyConfig config, EventLoops eventLoops) {
        return config.splice() && EpollSocketChannel.class.isAssignableFrom(eventLoops.socketChannelType());
    }

    /**
     * Socket options both sides of a spliced connection need from the start: Netty splices only
     * level-triggered channels, and the trigger mode is fixed once a channel is registered.
     */
    static Map<ChannelOption<?>, Object> socketOptions() {
        return Map.of(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
    }

    /**
     * Arms splicing for a newly connected pair: at once when {@code spliceAfter} is zero, else when
     * either direction has forwarded that many bytes through the JVM, so that short exchanges never
     * pay for the pipes. Does nothing when splicing is off or the channels are not epoll ones.
     */
    static void arm(Channel client, Channel backend, TcpProxyConfig config) {
        if (!config.splice() || !(client instanceof AbstractEpollStreamChannel)
                || !(backend instanceof AbstractEpollStreamChannel)
                || client.pipeline().get(SslHandler.class) != null // TLS terminated or originated: bytes pass through the JVM
                || backend.pipeline().get(SslHandler.class) != null) {
            return;
        }
        long after = config.spliceAfter().bytes();
        if (after == 0) {
            start(client, backend, config);
            return;
        }
        Runnable start = () -> start(client, backend, config);
        client.pipeline().get(Relay.class).spliceAfter(after, start);
        backend.pipeline().get(Relay.class).spliceAfter(after, start);
    }

    /**
     * Moves both directions to splice(2), on the pair's event loop. Safe mid-stream: Netty queues each
     * spliced chunk in the target's outbound buffer, behind the bytes already written to it. A side
     * whose input has ended is not spliced from.
     */
    @SuppressWarnings("deprecation") // Netty marks spliceTo for later removal; nothing replaces it yet
    private static void start(Channel client, Channel backend, TcpProxyConfig config) {
        Relay clientRelay = client.pipeline().get(Relay.class);
        Relay backendRelay = backend.pipeline().get(Relay.class);
        if (clientRelay == null || backendRelay == null || clientRelay.spliced || !client.isActive() || !backend.isActive()) {
            return;
        }
        ChannelFutureListener onFailure = f -> {
            if (!f.isSuccess()) {
                Relay.closeOnFlush(client);
                Relay.closeOnFlush(backend);
            }
        };
        clientRelay.spliced = true;
        backendRelay.spliced = true;
        SplicedTraffic.install(client, false);
        SplicedTraffic.install(backend, true);
        if (!clientRelay.inputEnded()) {
            ((AbstractEpollStreamChannel) client).spliceTo((AbstractEpollStreamChannel) backend, Integer.MAX_VALUE)
                    .addListener(onFailure);
        }
        if (!backendRelay.inputEnded()) {
            ((AbstractEpollStreamChannel) backend).spliceTo((AbstractEpollStreamChannel) client, Integer.MAX_VALUE)
                    .addListener(onFailure);
        }
        if (client.pipeline().get(IdleStateHandler.class) != null) {
            client.pipeline().remove(IdleStateHandler.class);
        }
        watchIdle(client, backend, config.idleTimeout().toMillis());
        if (!clientRelay.inputEnded()) {
            client.config().setAutoRead(true);
        }
        if (!backendRelay.inputEnded()) {
            backend.config().setAutoRead(true);
        }
    }

    /** Closes both sides when neither socket has sent or received data for {@code idleMillis}. */
    private static void watchIdle(Channel client, Channel backend, long idleMillis) {
        if (!(client instanceof EpollSocketChannel c) || !(backend instanceof EpollSocketChannel b)) {
            return;
        }
        // Every 10 s at most, so that the byte counters stay current for scrapes.
        long period = Math.max(100, Math.min(idleMillis / 4, 10_000));
        EpollTcpInfo info = new EpollTcpInfo();
        ScheduledFuture<?> check = client.eventLoop().scheduleAtFixedRate(() -> {
            SplicedTraffic.report(client);
            SplicedTraffic.report(backend);
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

    /** Most bytes read after a FIN: far above any socket receive buffer, a guard against a runaway loop. */
    private static final int MAX_DRAIN_CHUNKS = 1024;
    private static final int CHUNK = 64 * 1024;

    /**
     * The source's peer sent FIN: everything it sent is already in the source socket. Reads what
     * Netty's splice left there and writes it to the target, after the bytes spliced before.
     */
    static void drainAfterFin(Channel source, Channel target) {
        if (!(source instanceof EpollSocketChannel epoll)) {
            return;
        }
        for (int i = 0; i < MAX_DRAIN_CHUNKS; i++) {
            ByteBuf chunk = source.alloc().directBuffer(CHUNK);
            int read;
            try {
                ByteBuffer memory = chunk.internalNioBuffer(0, CHUNK);
                read = epoll.fd().read(memory, memory.position(), memory.limit());
            } catch (IOException e) {
                read = -1;
            }
            if (read <= 0) { // -1: end of stream; 0: nothing more queued
                chunk.release();
                break;
            }
            chunk.writerIndex(read);
            target.write(chunk, target.voidPromise());
        }
        target.flush();
    }
}
