package io.junction.runtime.transport;

import io.junction.api.runtime.EventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops shared by every pipeline, on epoll when the native library loads (Linux) and
 * on NIO otherwise. One loop per core by default.
 */
public final class Transport implements EventLoops, AutoCloseable {

    private final boolean epoll;
    private final EventLoopGroup group;

    private Transport(boolean epoll, int threads) {
        this.epoll = epoll;
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("junction-io", true), factory);
    }

    /**
     * Starts the event loops. {@code preferNative} false forces NIO (also {@code -Djunction.transport=nio}).
     */
    public static Transport start(int threads, boolean preferNative) {
        boolean useEpoll = preferNative && !"nio".equals(System.getProperty("junction.transport")) && Epoll.isAvailable();
        return new Transport(useEpoll, threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads);
    }

    @Override
    public EventLoopGroup group() {
        return group;
    }

    @Override
    public Class<? extends SocketChannel> socketChannelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    @Override
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
