package io.junction.runtime.admin;

import io.junction.runtime.config.HostPort;
import io.junction.runtime.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin HTTP endpoint: a fixed set of GET resources, each a supplier of a body. Small
 * requests only (8 KB of headers, no body) and a 30 s read timeout.
 */
public final class AdminServer {

    /** One admin resource. */
    public record Resource(String contentType, Supplier<AdminResponse> body) {
    }

    /** A status and body. */
    public record AdminResponse(int status, String body) {
        public static AdminResponse ok(String body) {
            return new AdminResponse(200, body);
        }
    }

    private final HostPort address;
    private final Map<String, Resource> resources;
    private Channel channel;

    public AdminServer(HostPort address, Map<String, Resource> resources) {
        this.address = address;
        this.resources = Map.copyOf(resources);
    }

    public ChannelFuture bind(Transport transport) {
        ChannelFuture future = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannelType())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(30),
                                new HttpServerCodec(4096, 8192, 8192),
                                new HttpObjectAggregator(8192),
                                new Handler());
                    }
                })
                .bind(address.host(), address.port());
        channel = future.channel();
        return future;
    }

    public java.net.InetSocketAddress boundAddress() {
        return (java.net.InetSocketAddress) channel.localAddress();
    }

    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            Resource resource = resources.get(path);
            FullHttpResponse response;
            if (!request.decoderResult().isSuccess()) {
                response = text(HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
            } else if (resource == null) {
                response = text(HttpResponseStatus.NOT_FOUND, "text/plain", "not found; try " + new java.util.TreeSet<>(resources.keySet()) + "\n");
            } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else {
                AdminResponse r;
                try {
                    r = resource.body().get();
                } catch (RuntimeException e) {
                    r = new AdminResponse(500, "error: " + e + "\n");
                }
                response = text(HttpResponseStatus.valueOf(r.status()), resource.contentType(), r.body());
                if (request.method().equals(HttpMethod.HEAD)) {
                    response.content().clear();
                }
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            ChannelFuture written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }
}
