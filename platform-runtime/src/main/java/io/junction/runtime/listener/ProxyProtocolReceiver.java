package io.junction.runtime.listener;

import io.junction.api.protocol.ConnectionAddresses;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the PROXY protocol header (v1 or v2) that a load balancer in front sends first on every
 * connection, records the addresses it carries as the connection's {@link ConnectionAddresses},
 * then hands the connection on. Bytes after the header go on to the protocol untouched. A missing,
 * malformed or late header closes the connection.
 */
final class ProxyProtocolReceiver extends ChannelInboundHandlerAdapter {

    /** How long a client may take to send the header. */
    static final long TIMEOUT_MILLIS = 5000;

    private final Runnable onHeader;
    private final Consumer<String> onFailure;
    private ScheduledFuture<?> timeout;
    private boolean done;

    private ProxyProtocolReceiver(Runnable onHeader, Consumer<String> onFailure) {
        this.onHeader = onHeader;
        this.onFailure = onFailure;
    }

    /** Installs the decoder and this receiver at the end of the channel's pipeline. */
    static void install(io.netty.channel.Channel channel, Runnable onHeader, Consumer<String> onFailure) {
        channel.pipeline().addLast("proxy-protocol-decoder", new HAProxyMessageDecoder())
                .addLast("proxy-protocol", new ProxyProtocolReceiver(onHeader, onFailure));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> fail(ctx, "no PROXY protocol header within " + TIMEOUT_MILLIS + " ms"),
                TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            done = true;
            timeout.cancel(false);
            if (header.command() == HAProxyCommand.PROXY && header.proxiedProtocol() != HAProxyProxiedProtocol.UNKNOWN
                    && header.sourceAddress() != null) {
                ConnectionAddresses.set(ctx.channel(), new ConnectionAddresses(
                        new InetSocketAddress(header.sourceAddress(), header.sourcePort()),
                        new InetSocketAddress(header.destinationAddress(), header.destinationPort())));
            } // LOCAL (a health check from the balancer itself): the socket's own addresses stand
        } finally {
            ReferenceCountUtil.release(msg);
        }
        ctx.pipeline().remove(this);
        onHeader.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done) {
            fail(ctx, "bad PROXY protocol header: " + cause.getMessage());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (!done) {
            done = true;
            onFailure.accept(why);
            ctx.close();
        }
    }
}
