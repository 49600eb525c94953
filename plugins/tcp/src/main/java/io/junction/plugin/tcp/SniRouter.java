package io.junction.plugin.tcp;

import io.junction.api.upstream.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Peeks at the TLS ClientHello of a connection (however many segments it spans), reads the server
 * name, chooses the route, then steps aside: the buffered bytes go on to the relay untouched, so the
 * backend terminates TLS with its own certificate. A connection that does not start with a TLS
 * handshake record, or whose server name no route takes, is closed and counted.
 */
final class SniRouter extends AbstractSniHandler<String> {

    /** Fired to the relay with the upstream chosen for the connection. */
    record Routed(Upstream upstream, String serverName) {
    }

    /** Largest ClientHello accepted (post-quantum key shares make them a few KB). */
    static final int MAX_CLIENT_HELLO = 32 * 1024;
    static final long TIMEOUT_MILLIS = 10_000;

    private static final int TLS_HANDSHAKE_RECORD = 22;

    private final TcpRoutes routes;
    private final TcpMetrics metrics;
    private boolean checkedRecordType;

    SniRouter(TcpRoutes routes, TcpMetrics metrics) {
        super(MAX_CLIENT_HELLO, TIMEOUT_MILLIS);
        this.routes = routes;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (!checkedRecordType && in.isReadable()) {
            checkedRecordType = true;
            if (in.getUnsignedByte(in.readerIndex()) != TLS_HANDSHAKE_RECORD) {
                in.skipBytes(in.readableBytes());
                metrics.notTls();
                ctx.close();
                return;
            }
        }
        super.decode(ctx, in, out);
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(hostname == null ? null : hostname.toLowerCase(Locale.ROOT));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<String> future) {
        if (!ctx.channel().isActive()) {
            return;
        }
        Upstream upstream = routes.select((InetSocketAddress) ctx.channel().localAddress(), future.getNow());
        if (upstream == null) {
            metrics.noRoute();
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(new Routed(upstream, future.getNow()));
        ctx.pipeline().remove(this); // hands the buffered ClientHello on to the relay
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.notTls();
        ctx.close();
    }
}
