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
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The admin HTTP endpoint: a fixed set of GET resources, each a supplier of a body, and POST
 * actions, each answered when its future completes (actions run off the event loop). Small
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
    private final Map<String, Supplier<CompletableFuture<AdminResponse>>> actions;
    private Channel channel;

    public AdminServer(HostPort address, Map<String, Resource> resources) {
        this(address, resources, Map.of());
    }

    /** @param actions POST paths; each supplier starts its work elsewhere and must not block */
    public AdminServer(HostPort address, Map<String, Resource> resources,
                       Map<String, Supplier<CompletableFuture<AdminResponse>>> actions) {
        this.address = address;
        this.resources = Map.copyOf(resources);
        this.actions = Map.copyOf(actions);
    }

    /** The address from the config. */
    public HostPort address() {
        return address;
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
            Supplier<CompletableFuture<AdminResponse>> action = actions.get(path);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (action != null && request.decoderResult().isSuccess()) {
                act(ctx, request, action, keepAlive);
                return;
            }
            FullHttpResponse response;
            if (!request.decoderResult().isSuccess()) {
                response = text(HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
            } else if (resource == null) {
                java.util.Set<String> paths = new java.util.TreeSet<>(resources.keySet());
                paths.addAll(actions.keySet());
                response = text(HttpResponseStatus.NOT_FOUND, "text/plain", "not found; try " + paths + "\n");
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
            send(ctx, response, keepAlive);
        }

        /** Runs a POST action; the response is written on the channel's event loop once the action completes. */
        private void act(ChannelHandlerContext ctx, FullHttpRequest request, Supplier<CompletableFuture<AdminResponse>> action,
                         boolean keepAlive) {
            if (!request.method().equals(HttpMethod.POST)) {
                FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only POST\n");
                response.headers().set(HttpHeaderNames.ALLOW, "POST");
                send(ctx, response, keepAlive);
                return;
            }
            ctx.channel().config().setAutoRead(false); // one action at a time per connection
            action.get().whenComplete((r, failure) -> ctx.executor().execute(() -> {
                AdminResponse answer = failure == null ? r : new AdminResponse(500, "error: " + failure + "\n");
                send(ctx, text(HttpResponseStatus.valueOf(answer.status()), "text/plain; charset=utf-8", answer.body()), keepAlive);
                ctx.channel().config().setAutoRead(true);
            }));
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
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
