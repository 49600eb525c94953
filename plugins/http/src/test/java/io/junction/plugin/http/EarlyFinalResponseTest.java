package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.filter.Filter;
import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.Route;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.HttpProtocol;
import io.junction.api.upstream.Upstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend answers a request with a body by a final response without one before the body came (a refused
 * {@code Expect: 100-continue}): the exchange ends before the request does, so Junction closes the client
 * connection after the response, and the response says so with {@code Connection: close} (RFC 9110 10.1.1).
 * The handler runs on a real Netty server on 127.0.0.1, proxying to a raw backend socket.
 */
@Timeout(30)
class EarlyFinalResponseTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private ServerSocket backend;
    private Channel server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aBodylessFinalResponseBeforeTheRequestBodySaysConnectionClose() throws Exception {
        backend = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        Thread answering = new Thread(() -> {
            try (Socket socket = backend.accept()) {
                socket.setSoTimeout(10_000);
                readHead(new BufferedInputStream(socket.getInputStream()));
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // until Junction closes it
            } catch (IOException e) {
                // closed
            }
        }, "backend-417");
        answering.setDaemon(true);
        answering.start();

        Endpoint endpoint = new TestEndpoint("127.0.0.1", backend.getLocalPort());
        Upstream upstream = new TestUpstream("raw", endpoint, HttpProtocol.HTTP_1_1);
        Route route = new Route() {
            @Override
            public Optional<Object> match() {
                return Optional.empty();
            }

            @Override
            public Upstream upstream() {
                return upstream;
            }
        };
        Pipeline pipeline = new Pipeline() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public List<Route> routes() {
                return List.of(route);
            }

            @Override
            public List<Filter> exchangeFilters() {
                return List.of();
            }
        };
        EventLoops loops = new TestLoops(group);
        HttpProxyConfig config = new HttpProxyConfig(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
        HttpProxyHandler handler = new HttpProxyHandler(config, pipeline, loops, new SimpleMeterRegistry());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        handler.initChannel(channel);
                    }
                }).bind("127.0.0.1", 0).sync().channel();

        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()), 5000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            InputStream in = new BufferedInputStream(client.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 417 ");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\nconnection: close\r\n").contains("\r\ncontent-length: 0\r\n");
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest); // and the connection does close (the socket timeout bounds the wait)
            assertThat(rest.size()).isZero();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }
}
