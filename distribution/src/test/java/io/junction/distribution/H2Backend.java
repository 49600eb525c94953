package io.junction.distribution;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/2 server on 127.0.0.1 (Netty's frame codec and multiplexer; h2c with prior knowledge, or
 * h2 over TLS when given a context), answering by path:
 * <ul>
 *   <li>{@code /echo}: 200 with the request body and, as {@code x-*} fields, what it saw of the request
 *       (method, scheme, authority, path, te, content-length, field names, trailers);</li>
 *   <li>{@code /stream?n=N}: N bytes in DATA frames without content-length, then trailers
 *       {@code x-total} and {@code x-sha256};</li>
 *   <li>{@code /slow?ms=N}: answers after N ms;</li>
 *   <li>{@code /status?code=N}: that status without a body;</li>
 *   <li>{@code /interim}: a 103 first, then 200;</li>
 *   <li>HEAD anything: 200 with {@code content-length: 11} and no body.</li>
 * </ul>
 * A {@code tag=T} query parameter records which connection served the request, per T.
 */
final class H2Backend implements AutoCloseable {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Map<String, Set<String>> connectionsByTag = new ConcurrentHashMap<>();
    private final Set<Channel> goneAway = ConcurrentHashMap.newKeySet();

    H2Backend(long maxConcurrentStreams, SslContext tls) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted.incrementAndGet();
                        connections.add(channel);
                        if (tls != null) {
                            channel.pipeline().addLast(tls.newHandler(channel.alloc()));
                        }
                        channel.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams)).build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new Exchange());
                                    }
                                }));
                    }
                }).bind(Net.LOOPBACK, 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String endpoint() {
        return Net.LOOPBACK + ":" + port();
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    int requests() {
        return requests.get();
    }

    /** The most requests this backend had in flight at once. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /** The distinct connections that served requests tagged {@code tag}. */
    int connections(String tag) {
        return connectionsByTag.getOrDefault(tag, Set.of()).size();
    }

    /**
     * Sends GOAWAY (NO_ERROR) once on every open connection that has not had one, as a server shutting down
     * gracefully would: the streams it has seen finish, later ones are refused.
     */
    void goAway() {
        for (Channel connection : connections) {
            if (goneAway.add(connection)) {
                connection.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
            }
        }
    }

    /** Cuts every connection at once, as a crashed server would. */
    void kill() {
        server.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        server.close();
        connections.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One request: collected whole, then answered. */
    private final class Exchange extends ChannelInboundHandlerAdapter {

        private Http2Headers head;
        private Http2Headers trailers;
        private CompositeByteBuf body;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame frame) {
                if (head == null) {
                    head = frame.headers();
                    body = ctx.alloc().compositeBuffer(1024);
                } else {
                    trailers = frame.headers();
                }
                if (frame.isEndStream()) {
                    answer(ctx);
                }
            } else if (msg instanceof Http2DataFrame frame) {
                body.addComponent(true, frame.content());
                if (frame.isEndStream()) {
                    answer(ctx);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (body != null) {
                body.release();
                body = null;
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            URI uri = URI.create(head.path().toString());
            String query = uri.getQuery() == null ? "" : uri.getQuery();
            String tag = parameter(query, "tag");
            if (tag != null) {
                connectionsByTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(ctx.channel().parent().id().asShortText());
            }
            String path = uri.getPath();
            if (head.method().toString().equals("HEAD")) {
                end(ctx, new DefaultHttp2Headers().status("200").set("content-length", "11"), null);
            } else if (path.equals("/echo")) {
                echo(ctx);
            } else if (path.equals("/stream")) {
                stream(ctx, Integer.parseInt(parameter(query, "n")));
            } else if (path.equals("/slow")) {
                ctx.executor().schedule(() -> end(ctx, new DefaultHttp2Headers().status("200"), "slow"),
                        Long.parseLong(parameter(query, "ms")), TimeUnit.MILLISECONDS);
            } else if (path.equals("/status")) {
                end(ctx, new DefaultHttp2Headers().status(parameter(query, "code")).set("etag", "\"v1\""), null);
            } else if (path.equals("/interim")) {
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("103").set("link", "</style.css>; rel=preload")));
                end(ctx, new DefaultHttp2Headers().status("200"), "after hints");
            } else {
                end(ctx, new DefaultHttp2Headers().status("404"), "no such path");
            }
        }

        private void echo(ChannelHandlerContext ctx) {
            Http2Headers response = new DefaultHttp2Headers().status("200");
            response.set("x-method", head.method()).set("x-scheme", head.scheme()).set("x-authority", String.valueOf(head.authority()))
                    .set("x-path", head.path()).set("x-te", String.valueOf(head.get("te")))
                    .set("x-content-length", String.valueOf(head.get("content-length")));
            List<String> names = new ArrayList<>();
            head.names().forEach(name -> names.add(name.toString()));
            response.set("x-names", String.join(",", new TreeSet<>(names)));
            if (trailers != null) {
                response.set("x-trailers", trailers.toString());
            }
            response.setInt("content-length", body.readableBytes());
            ByteBuf content = body;
            body = null;
            ctx.write(new DefaultHttp2HeadersFrame(response));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(content, true));
            inFlight.decrementAndGet();
        }

        private void stream(ChannelHandlerContext ctx, int n) {
            MessageDigest sha = sha256();
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").set("content-type", "application/octet-stream")));
            for (int sent = 0; sent < n; ) {
                int size = Math.min(16 * 1024, n - sent);
                byte[] chunk = new byte[size];
                for (int i = 0; i < size; i++) {
                    chunk[i] = (byte) ((sent + i) % 251);
                }
                sha.update(chunk);
                ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(chunk), false));
                sent += size;
            }
            Http2Headers end = new DefaultHttp2Headers().set("x-total", Integer.toString(n))
                    .set("x-sha256", HexFormat.of().formatHex(sha.digest()));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(end, true));
            inFlight.decrementAndGet();
        }

        private void end(ChannelHandlerContext ctx, Http2Headers response, String text) {
            if (body != null) {
                body.release();
                body = null;
            }
            inFlight.decrementAndGet();
            if (text == null) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(response, true));
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(response));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(ByteBufUtil.writeUtf8(ctx.alloc(), text), true));
        }
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
