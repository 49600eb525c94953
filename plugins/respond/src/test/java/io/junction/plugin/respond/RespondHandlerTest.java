package io.junction.plugin.respond;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.config.DataSize;
import io.junction.plugin.respond.RawHttp.Response;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Serves real HTTP connections on 127.0.0.1 with {@link RespondHandler}: a Netty server whose accepted
 * channels the handler initialises, queried with {@link HttpClient} and with raw sockets.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RespondHandlerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int TIMEOUT_MS = 5_000;
    private static final String BODY = "Héllo from respond ✓\n";

    private static EventLoopGroup group;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startEventLoops() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stopEventLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeEverything() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void answersWithTheConfiguredStatusHeadersAndBody() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Served-By", "junction-test");
        headers.put("Cache-Control", "no-store");
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(203, headers, BODY, null, null)));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri(server, "/any/path?q=1")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        byte[] expected = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(response.statusCode()).isEqualTo(203);
        assertThat(response.body()).isEqualTo(expected);
        assertThat(response.headers().firstValue("x-served-by")).hasValue("junction-test");
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.headers().firstValueAsLong("content-length")).hasValue(expected.length);
    }

    @Test
    void everyMethodAndPathGetsTheSameAnswer() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(404, null, "nothing here", null, null)));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri(server, "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(server, "/upload"))
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(200_000))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri(server, "/a/b")).DELETE().timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(get, post, delete)) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("nothing here");
        }
    }

    @Test
    void configuredFramingHeadersAreReplacedAndAContentTypeIsKept() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Length", "999");
        headers.put("Connection", "upgrade");
        headers.put("Transfer-Encoding", "chunked");
        headers.put("Content-Type", "application/json");
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, headers, "{\"ok\":true}", null, null)));

        try (RawHttp connection = connect(server)) {
            Response response = connection.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.header("Content-Length")).isEqualTo("11");
            assertThat(response.header("Connection")).isNull();
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.bodyText()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void anEmptyBodyHasNoContentType() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(204, null, null, null, null)));

        try (RawHttp connection = connect(server)) {
            Response response = connection.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(204);
            assertThat(response.header("Content-Type")).isNull();
            assertThat(response.body()).isEmpty();
        }
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, null, null)));

        try (RawHttp connection = connect(server)) {
            Response first = connection.send("GET /one HTTP/1.1\r\nHost: test\r\n\r\n").read();
            Response second = connection.send("GET /two HTTP/1.1\r\nHost: test\r\n\r\n").read();

            for (Response response : List.of(first, second)) {
                assertThat(response.version()).isEqualTo("HTTP/1.1");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).isNull();
                assertThat(response.bodyText()).isEqualTo(BODY);
            }
            assertThat(connection.quietFor(200)).as("connection still open and quiet").isTrue();
        }
    }

    @Test
    void pipelinedRequestsWithBodiesAreEachAnswered() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, "ok", null, null)));

        try (RawHttp connection = connect(server)) {
            connection.send("POST /a HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /b HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: test\r\n\r\n");

            for (int i = 0; i < 3; i++) {
                Response response = connection.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("ok");
            }
            assertThat(connection.quietFor(200)).isTrue();
        }
    }

    @Test
    void headHasNoBodyButTheBodysContentLength() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, null, null)));
        int length = BODY.getBytes(StandardCharsets.UTF_8).length;

        try (RawHttp connection = connect(server)) {
            Response head = connection.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\n").read(true);
            // no body bytes follow: the next response starts right after the head's header section
            Response get = connection.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(length));
            assertThat(head.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.bodyText()).isEqualTo(BODY);
        }

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri(server, "/")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(length);
    }

    @Test
    void aHeaderSectionOverTheLimitGets431AndTheConnectionCloses() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, DataSize.ofKilobytes(1), null)));

        try (RawHttp connection = connect(server)) {
            Response response = connection.send("GET / HTTP/1.1\r\nHost: test\r\nX-Big: " + "a".repeat(2048) + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(431);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(connection.closedByServer()).isTrue();
        }
        // just under the limit is fine
        try (RawHttp connection = connect(server)) {
            Response response = connection.send("GET / HTTP/1.1\r\nHost: test\r\nX-Big: " + "a".repeat(900) + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
        }
    }

    @Test
    void manyHeadersOverTheLimitGet431() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, DataSize.ofKilobytes(1), null)));
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: test\r\n");
        for (int i = 0; i < 100; i++) {
            request.append("X-Header-").append(i).append(": value\r\n");
        }

        try (RawHttp connection = connect(server)) {
            Response response = connection.send(request.append("\r\n").toString()).read();

            assertThat(response.status()).isEqualTo(431);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void aMalformedRequestLineGets400AndTheConnectionCloses() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, null, null)));

        try (RawHttp connection = connect(server)) {
            Response response = connection.send("GET / NOT-HTTP/1.1\r\nHost: test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionCloseClosesAfterTheResponse() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, null, null)));

        try (RawHttp connection = connect(server)) {
            Response response = connection.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.bodyText()).isEqualTo(BODY);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, null, null)));

        try (RawHttp connection = connect(server)) {
            Response response = connection.send("GET / HTTP/1.0\r\n\r\n").read();

            assertThat(response.version()).isEqualTo("HTTP/1.0");
            assertThat(response.bodyText()).isEqualTo(BODY);
            assertThat(connection.closedByServer()).isTrue();
        }
        try (RawHttp connection = connect(server)) {
            Response first = connection.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            Response second = connection.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();

            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(second.bodyText()).isEqualTo(BODY);
        }
    }

    @Test
    void drainClosesIdleKeepAliveConnections() throws Exception {
        RespondHandler handler = new RespondHandler(new RespondConfig(200, null, BODY, null, null));
        InetSocketAddress server = start(handler);

        try (RawHttp idle = connect(server); RawHttp neverAsked = connect(server)) {
            assertThat(idle.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(idle.quietFor(100)).isTrue();

            handler.drain();

            assertThat(idle.closedByServer()).isTrue();
            assertThat(neverAsked.closedByServer()).isTrue();
        }
    }

    @Test
    void drainLetsARequestInProgressFinishThenCloses() throws Exception {
        RespondHandler handler = new RespondHandler(new RespondConfig(200, null, BODY, null, null));
        InetSocketAddress server = start(handler);

        try (RawHttp busy = connect(server)) {
            busy.send("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nhello");
            assertThat(busy.quietFor(200)).as("waiting for the rest of the body").isTrue();

            handler.drain();
            assertThat(busy.quietFor(200)).as("a request in progress is not cut").isTrue();
            Response response = busy.send("world").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.bodyText()).isEqualTo(BODY);
            assertThat(busy.closedByServer()).isTrue();
        }
    }

    @Test
    void drainLetsAResponseStillBeingWrittenFinishThenCloses() throws Exception {
        String body = "0123456789abcdef".repeat(512 * 1024); // 8MB: more than the socket buffers hold
        RespondHandler handler = new RespondHandler(new RespondConfig(200, null, body, null, null));
        InetSocketAddress server = start(handler);

        try (RawHttp slow = new RawHttp(server, TIMEOUT_MS, 16 * 1024)) {
            closeables.add(slow);
            Response head = slow.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").readHead();
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(body.length()));

            handler.drain();

            assertThat(new String(slow.readBody(body.length()), StandardCharsets.US_ASCII)).isEqualTo(body);
            assertThat(slow.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        InetSocketAddress server = start(new RespondHandler(new RespondConfig(200, null, BODY, null, Duration.ofMillis(300))));

        try (RawHttp connection = connect(server)) {
            assertThat(connection.send("GET / HTTP/1.1\r\nHost: test\r\n\r\n").read().status()).isEqualTo(200);
            long start = System.nanoTime();

            assertThat(connection.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
        }
    }

    // --- fixtures

    private InetSocketAddress start(RespondHandler handler) {
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handler.initChannel(ch);
                    }
                })
                .bind(LOOPBACK, 0).syncUninterruptibly().channel();
        closeables.add(() -> server.close().syncUninterruptibly());
        return (InetSocketAddress) server.localAddress();
    }

    private RawHttp connect(InetSocketAddress server) throws IOException {
        RawHttp connection = new RawHttp(server, TIMEOUT_MS);
        closeables.add(connection);
        return connection;
    }

    private static URI uri(InetSocketAddress server, String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }
}
