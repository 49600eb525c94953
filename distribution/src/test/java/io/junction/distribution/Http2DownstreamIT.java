package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/2 from clients through the real distribution: h2c by prior knowledge (curl, h2load, raw
 * frames) and h2 by ALPN (the JDK HttpClient), to HTTP/1.1 backends, on listeners that serve
 * HTTP/1.1 too; per-stream balancing, flow control per stream, and the abuse limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class Http2DownstreamIT {

    private Path work;
    private HttpBackend a;
    private HttpBackend b;
    private HttpBackend c;
    private JunctionProcess junction;
    private TlsCertificates.Pair certificate;
    private int plain;
    private int tls;
    private int admin;
    private int stall;
    private int h1only;
    private HttpClient h2;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("h2-it");
        a = new HttpBackend("a");
        b = new HttpBackend("b");
        c = new HttpBackend("c");
        plain = Net.freePort();
        tls = Net.freePort();
        admin = Net.freePort();
        stall = Net.freePort();
        h1only = Net.freePort();
        certificate = TlsCertificates.create(work, "localhost");
        junction = JunctionProcess.startReady(work, "-c", configPath(work, "h2.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "plain", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "http2": { "maxConcurrentStreams": 64, "initialStreamWindow": "128KB",
                                    "maxResets": 100, "maxControlFramesPerSecond": 50 } },
                      "upstream": "abc" },
                    { "name": "tls", "listen": "127.0.0.1:%d",
                      "tls": { "certificates": [ { "cert": "%s", "key": "%s" } ], "alpn": [ "h2", "http/1.1" ] },
                      "protocol": { "type": "http" },
                      "upstream": "abc" },
                    { "name": "stall", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "responseTimeout": "1s" }, "upstream": "abc" },
                    { "name": "h1only", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "http2": { "enabled": false } }, "upstream": "abc" } ],
                  "upstreams": [ { "name": "abc", "endpoints": [ "%s", "%s", "%s" ], "balancer": { "type": "round-robin" } } ] }
                """.formatted(admin, plain, tls, certificate.cert(), certificate.key(), stall, h1only, a.endpoint(), b.endpoint(), c.endpoint())));
        h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TlsCertificates.trusting(certificate))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() throws Exception {
        if (junction != null) {
            junction.close();
        }
        for (HttpBackend backend : new HttpBackend[] {a, b, c}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    private static String configPath(Path dir, String name, String json) throws IOException {
        return Configs.write(dir, name, json).toString();
    }

    private URI secure(String path) {
        return URI.create("https://localhost:" + tls + path);
    }

    private static Process run(String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws Exception {
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return text;
    }

    @Test
    void streamsOfOneConnectionAreBalancedEachOnItsOwn() throws Exception {
        int before = a.requests() + b.requests() + c.requests();
        int[] start = {a.requests(), b.requests(), c.requests()};
        String report = output(run("h2load", "-n", "300", "-c", "1", "-m", "30", "http://127.0.0.1:" + plain + "/spread"));
        assertThat(report).contains("300 succeeded").contains("300 2xx");
        assertThat(a.requests() + b.requests() + c.requests() - before).isEqualTo(300);
        // one client connection, 30 streams at a time, and still every backend gets its third
        assertThat(a.requests() - start[0]).isBetween(90, 110);
        assertThat(b.requests() - start[1]).isBetween(90, 110);
        assertThat(c.requests() - start[2]).isBetween(90, 110);
    }

    @Test
    void oneListenerServesHttp2PriorKnowledgeAndHttp11() throws Exception {
        String h2c = output(run("curl", "-s", "-i", "--http2-prior-knowledge", "http://127.0.0.1:" + plain + "/echo/h2c?x=1"));
        assertThat(h2c).startsWith("HTTP/2 200").contains("via: 1.1 junction").contains("GET /echo/h2c?x=1")
                .contains("via: 2 junction").contains("host: 127.0.0.1:" + plain).contains("x-forwarded-for: 127.0.0.1");
        HttpResponse<String> http11 = Net.get(plain, "/echo/h1");
        assertThat(http11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(http11.body()).contains("GET /echo/h1").contains("via: 1.1 junction");
        // The Upgrade dance is not offered: an h2c upgrade request is answered in HTTP/1.1.
        String upgrade = output(run("curl", "-s", "-i", "--http2", "http://127.0.0.1:" + plain + "/echo/upgrade"));
        assertThat(upgrade).startsWith("HTTP/1.1 200").doesNotContain("upgrade: h2c");
    }

    @Test
    void anHttp2RequestsPathIsNormalisedAsAnHttp11RequestsIs() throws Exception {
        String normal = output(run("curl", "-s", "-i", "--path-as-is", "--http2-prior-knowledge",
                "http://127.0.0.1:" + plain + "/x/../echo/%7eh2/./a?q=%2e"));
        assertThat(normal).startsWith("HTTP/2 200").contains("\nGET /echo/~h2/a?q=%2e\n");
        String invalid = output(run("curl", "-s", "-i", "--path-as-is", "--http2-prior-knowledge",
                "http://127.0.0.1:" + plain + "/echo/%zz"));
        assertThat(invalid).startsWith("HTTP/2 400").contains("x-junction-error: invalid-path");
    }

    @Test
    void h2ByAlpnCarriesBodiesBothWaysToHttp11Backends() throws Exception {
        HttpResponse<String> echo = h2.send(HttpRequest.newBuilder(secure("/echo/tls")).header("x-test", "yes").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echo.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).contains("GET /echo/tls").contains("x-test: yes").contains("x-forwarded-proto: https")
                .contains("host: localhost:" + tls);
        assertThat(echo.headers().firstValue("via")).hasValue("1.1 junction");

        byte[] body = new byte[5 * 1024 * 1024 + 7];
        new Random(6).nextBytes(body);
        HttpResponse<String> sha = h2.send(HttpRequest.newBuilder(secure("/sha")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sha.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(sha.body().trim()).isEqualTo(body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));

        // A body of unknown length from the client (no content-length) reaches the backend chunked.
        HttpResponse<String> streamed = h2.send(HttpRequest.newBuilder(secure("/sha"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.body().trim()).startsWith(body.length + " ");

        HttpResponse<byte[]> big = h2.send(HttpRequest.newBuilder(secure("/bytes?n=20000000")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(big.body()).hasSize(20_000_000);

        HttpResponse<String> head = h2.send(HttpRequest.newBuilder(secure("/echo/head")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aSlowReaderOnOneStreamDoesNotHoldUpTheOthers() throws Exception {
        AtomicLong slowBytes = new AtomicLong();
        AtomicReference<Flow.Subscription> slowSubscription = new AtomicReference<>();
        CompletableFuture<HttpResponse<Void>> slow = h2.sendAsync(HttpRequest.newBuilder(secure("/bytes?n=200000000")).build(),
                info -> HttpResponse.BodySubscribers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        slowSubscription.set(subscription);
                        subscription.request(1); // then never again: this stream's window closes
                    }

                    @Override
                    public void onNext(List<ByteBuffer> item) {
                        item.forEach(buffer -> slowBytes.addAndGet(buffer.remaining()));
                    }

                    @Override
                    public void onError(Throwable throwable) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
        JunctionProcess.sleep(500);
        // the same client, so the same connection: a second stream runs at full speed meanwhile
        HttpResponse<byte[]> fast = h2.send(HttpRequest.newBuilder(secure("/bytes?n=30000000")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fast.body()).hasSize(30_000_000);
        assertThat(slow).isNotDone();
        assertThat(slowBytes.get()).isLessThan(20_000_000);
        slow.cancel(true);
        if (slowSubscription.get() != null) {
            slowSubscription.get().cancel();
        }
    }

    @Test
    void settingsAdvertiseTheConfiguredLimits() throws Exception {
        try (RawHttp2 client = new RawHttp2(plain)) {
            RawHttp2.Frame settings = client.await(RawHttp2.SETTINGS, 0);
            assertThat(settings).isNotNull();
            assertThat(settings.setting(0x3)).isEqualTo(64); // SETTINGS_MAX_CONCURRENT_STREAMS
            assertThat(settings.setting(0x4)).isEqualTo(128 * 1024); // SETTINGS_INITIAL_WINDOW_SIZE
            assertThat(settings.setting(0x6)).isEqualTo(16 * 1024); // SETTINGS_MAX_HEADER_LIST_SIZE = maxHeaderSize
        }
    }

    @Test
    void rapidResetFloodEndsTheConnectionAndIsCounted() throws Exception {
        long before = calmGoAways();
        List<RawHttp2.Frame> frames = flood(client -> {
            for (int i = 0; i < 300; i++) {
                int stream = 2 * i + 1;
                client.headers(stream, RawHttp2.get("/echo/reset"), false).rst(stream, 0x8); // CANCEL at once
            }
        });
        assertThat(frames).noneMatch(frame -> frame.type() == RawHttp2.GOAWAY && frame.errorCode() != RawHttp2.ENHANCE_YOUR_CALM);
        assertThat(calmGoAways()).isGreaterThan(before);
        assertThat(Net.get(plain, "/echo/after-flood").statusCode()).isEqualTo(200);
    }

    @Test
    void pingFloodEndsTheConnection() throws Exception {
        long before = calmGoAways();
        List<RawHttp2.Frame> frames = flood(client -> {
            for (int i = 0; i < 500; i++) {
                client.ping(i);
            }
        });
        assertThat(frames.stream().filter(frame -> frame.type() == RawHttp2.PING).count()).isLessThan(500);
        assertThat(calmGoAways()).isGreaterThan(before);
    }

    private interface Flood {
        void send(RawHttp2 client) throws IOException;
    }

    /**
     * Sends a flood and reads until the server ends the connection (it must, within 10 s). The server may
     * close while the flood is still arriving, so the client can see a reset instead of the GOAWAY
     * frame itself; the GOAWAY counter on the admin endpoint is the check that does not race.
     */
    private List<RawHttp2.Frame> flood(Flood flood) throws Exception {
        List<RawHttp2.Frame> frames = new java.util.ArrayList<>();
        try (RawHttp2 client = new RawHttp2(plain)) {
            try {
                flood.send(client);
                client.flush();
                frames.addAll(client.readUntilClosed(10_000));
            } catch (java.net.SocketException reset) {
                return frames; // ended by the server: that is the defence
            }
            assertThat(client.read()).as("the server ended the connection").isNull();
        } catch (java.net.SocketException reset) {
            // closed by the server
        }
        return frames;
    }

    private long calmGoAways() throws Exception {
        java.util.regex.Matcher matcher = java.util.regex.Pattern
                .compile("junction_http2_frames_sent_total\\{code=\"enhance_your_calm\",frame=\"goaway\",pipeline=\"plain\"} ([0-9.]+)")
                .matcher(Net.get(admin, "/metrics").body());
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void withHttp2OffThePrefaceIsAnsweredAsAMalformedHttp11Request() throws Exception {
        int before = a.requests() + b.requests() + c.requests();
        try (java.net.Socket socket = Net.connect(h1only)) {
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = Net.readResponse(socket.getInputStream());
            assertThat(answer).matches("(?s)HTTP/1\\.1 (400|505) .*");
        }
        assertThat(Net.get(h1only, "/echo/still-http11").statusCode()).isEqualTo(200);
        assertThat(a.requests() + b.requests() + c.requests()).isEqualTo(before + 1);
    }

    @Test
    void aClientThatNeverOpensItsWindowLosesTheStreamAfterResponseTimeout() throws Exception {
        try (RawHttp2 client = new RawHttp2(stall)) {
            client.frame(RawHttp2.SETTINGS, 0, 0, new byte[] {0, 0x4, 0, 0, 0, 0}); // SETTINGS_INITIAL_WINDOW_SIZE = 0
            client.headers(1, RawHttp2.get("/bytes?n=5000000"), true).flush();
            long start = System.nanoTime();
            RawHttp2.Frame reset = client.await(RawHttp2.RST_STREAM, 1);
            assertThat(reset).as("the stalled stream is reset").isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(8));
        }
        assertThat(Net.get(admin, "/metrics").body())
                .containsPattern("junction_http_errors_total\\{pipeline=\"stall\",reason=\"response-body-timeout\"} [1-9]");
    }

    @Test
    void continuationFloodEndsTheConnectionBeforeAnyBackendSeesIt() throws Exception {
        int before = a.requests() + b.requests() + c.requests();
        try (RawHttp2 client = new RawHttp2(plain)) {
            client.frame(RawHttp2.HEADERS, 0, 1, RawHttp2.get("/echo/continuation")); // no END_HEADERS
            byte[] filler = RawHttp2.block("x-filler", "y");
            for (int i = 0; i < 5000; i++) {
                client.frame(RawHttp2.CONTINUATION, 0, 1, i % 2 == 0 ? new byte[0] : filler);
            }
            client.flush();
            List<RawHttp2.Frame> frames = client.readUntilClosed(10_000);
            assertThat(frames).anySatisfy(frame -> assertThat(frame.type()).isEqualTo(RawHttp2.GOAWAY));
        } catch (java.net.SocketException resetWhileWriting) {
            // the server may close while the flood is still being written: that is the defence working
        }
        assertThat(a.requests() + b.requests() + c.requests()).isEqualTo(before);
    }

    @Test
    void malformedRequestsNeverReachABackend() throws Exception {
        int before = a.requests() + b.requests() + c.requests();
        try (RawHttp2 client = new RawHttp2(plain)) {
            client.headers(1, RawHttp2.get("/echo/bad", "connection", "keep-alive"), true);
            client.headers(3, RawHttp2.get("/echo/bad", "transfer-encoding", "chunked"), true);
            client.headers(5, RawHttp2.get("/echo/bad", "te", "gzip"), true);
            client.headers(7, RawHttp2.get("/echo/bad", "x-bad", " padded"), true);
            client.headers(9, RawHttp2.block(":method", "GET", ":scheme", "http", ":path", "/echo/bad"), true); // no authority, no host
            client.headers(11, RawHttp2.get("/echo/bad", "content-length", "5"), true); // says 5, sends none
            client.headers(13, RawHttp2.block(":method", "GET", ":scheme", "http", ":path", "no-slash", ":authority", "localhost"), true);
            client.flush();
            for (int stream = 1; stream <= 13; stream += 2) {
                RawHttp2.Frame answer = awaitEndOf(client, stream);
                assertThat(answer).as("stream %d", stream).isNotNull();
                if (answer.type() == RawHttp2.HEADERS) { // a 400 from Junction: ":status 400" is static table entry 12
                    assertThat(answer.payload()[0] & 0xFF).as("stream %d", stream).isEqualTo(0x80 | 12);
                } else {
                    assertThat(answer.type()).as("stream %d", stream).isEqualTo(RawHttp2.RST_STREAM);
                }
            }
        }
        assertThat(a.requests() + b.requests() + c.requests()).isEqualTo(before);
    }

    /** The HEADERS or RST_STREAM that answers {@code stream}, skipping other streams' frames. */
    private static RawHttp2.Frame awaitEndOf(RawHttp2 client, int stream) throws IOException {
        for (RawHttp2.Frame frame; (frame = client.read()) != null; ) {
            if (frame.stream() == stream && (frame.type() == RawHttp2.HEADERS || frame.type() == RawHttp2.RST_STREAM)) {
                return frame;
            }
            if (frame.type() == RawHttp2.GOAWAY) {
                return null;
            }
        }
        return null;
    }

    @Test
    void errorsKeepTheirStatusAndReasonOverHttp2() throws Exception {
        Path dir = Files.createTempDirectory("h2-errors");
        int port = Net.freePort();
        int dead = Net.freePort();
        try (JunctionProcess errors = JunctionProcess.startReady(dir, "-c", configPath(dir, "errors.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [ { "name": "e", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                    "routes": [ { "match": { "pathPrefix": "/dead" }, "upstream": "dead" } ] } ],
                  "upstreams": [ { "name": "dead", "endpoints": [ "127.0.0.1:%d" ] } ] }
                """.formatted(Net.freePort(), port, dead)))) {
            String noRoute = output(run("curl", "-s", "-i", "--http2-prior-knowledge", "http://127.0.0.1:" + port + "/nowhere"));
            assertThat(noRoute).startsWith("HTTP/2 404").contains("x-junction-error: no-route");
            String refused = output(run("curl", "-s", "-i", "--http2-prior-knowledge", "http://127.0.0.1:" + port + "/dead"));
            assertThat(refused).startsWith("HTTP/2 502").contains("x-junction-error: connect-failed");
        }
    }

    @Test
    void drainSendsGoAwayAndLetsStreamsInFlightFinish() throws Exception {
        Path dir = Files.createTempDirectory("h2-drain");
        int port = Net.freePort();
        JunctionProcess draining = JunctionProcess.startReady(dir, "-c", configPath(dir, "drain.json", """
                { "admin": { "listen": "127.0.0.1:%d" }, "drainTimeout": "10s",
                  "pipelines": [ { "name": "d", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "a" } ],
                  "upstreams": [ { "name": "a", "endpoints": [ "%s" ] } ] }
                """.formatted(Net.freePort(), port, a.endpoint())));
        try (draining; RawHttp2 client = new RawHttp2(port)) {
            client.headers(1, RawHttp2.get("/sleep?ms=1500"), true).flush();
            JunctionProcess.sleep(400);
            draining.signalTerm();
            List<RawHttp2.Frame> frames = client.readUntilClosed(10_000);
            assertThat(frames).anySatisfy(frame -> {
                assertThat(frame.type()).isEqualTo(RawHttp2.GOAWAY);
                assertThat(frame.errorCode()).isEqualTo(RawHttp2.NO_ERROR);
            });
            // the stream that was in flight got its whole response: a 200 and a body that ends the stream
            assertThat(frames).anySatisfy(frame -> {
                assertThat(frame.type()).isEqualTo(RawHttp2.HEADERS);
                assertThat(frame.stream()).isEqualTo(1);
                assertThat(frame.payload()[0] & 0xFF).isEqualTo(0x80 | 8); // :status 200
            });
            assertThat(frames).anySatisfy(frame -> {
                assertThat(frame.stream()).isEqualTo(1);
                assertThat(frame.flags() & RawHttp2.END_STREAM).isNotZero();
            });
            assertThat(draining.waitFor(Duration.ofSeconds(20))).isZero();
        }
    }
}
