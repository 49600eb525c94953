package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code http} reverse proxy through the real distribution, with JDK HttpServer backends, the
 * JDK HttpClient and raw sockets for what a well-behaved client never sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class HttpProxyIT {

    private Path work;

    private HttpBackend a;
    private HttpBackend b;
    private HttpBackend api;
    private HttpBackend strict;
    private RawBackend malformed;
    private CapturingBackend capturing;
    private int capture;
    private JunctionProcess junction;
    private int front;
    private int smuggle;
    private int dead;
    private int slow;
    private int timeouts;
    private int metered;
    private int forwardingOff;
    private int limited;
    private int forwardingOverwrite;
    private int broken;
    private int admin;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        work = java.nio.file.Files.createTempDirectory("http-it");
        a = new HttpBackend("a");
        b = new HttpBackend("b");
        api = new HttpBackend("api");
        strict = new HttpBackend("strict");
        capturing = new CapturingBackend();
        capture = Net.freePort();
        malformed = new RawBackend("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        front = Net.freePort();
        smuggle = Net.freePort();
        dead = Net.freePort();
        slow = Net.freePort();
        timeouts = Net.freePort();
        metered = Net.freePort();
        forwardingOff = Net.freePort();
        limited = Net.freePort();
        forwardingOverwrite = Net.freePort();
        broken = Net.freePort();
        admin = Net.freePort();
        int deadPort = Net.freePort();
        junction = JunctionProcess.startReady(work, "-c", Configs.write(work, "http.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "front", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [
                        { "match": { "hosts": [ "api.example.com", "*.api.example.com" ] }, "upstream": "api" },
                        { "match": { "pathPrefix": "/api", "methods": [ "POST", "PUT" ] }, "upstream": "api" },
                        { "match": { "headers": { "x-canary": "yes" } }, "upstream": "api" },
                        { "match": { "query": { "version": "2" } }, "upstream": "api" },
                        { "match": { "pathRegex": "/only-(a|b)/.*" }, "upstream": "ab" },
                        { "name": "catch-all", "match": { "pathPrefix": "/" }, "upstream": "ab" } ] },
                    { "name": "smuggle", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "maxRequestLine": "1KB", "maxHeaderSize": "2KB",
                      "maxRequestBodySize": "1KB" }, "upstream": "strict" },
                    { "name": "dead", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "connectTimeout": "1s" }, "upstream": "dead" },
                    { "name": "slow", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "responseTimeout": "2s" }, "upstream": "ab" },
                    { "name": "metered", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [ { "name": "gone", "match": { "pathPrefix": "/gone" }, "upstream": "dead" },
                                  { "name": "all", "match": { "pathPrefix": "/" }, "upstream": "ab" } ] },
                    { "name": "limited", "listen": "127.0.0.1:%d", "limits": { "maxConnections": 1 },
                      "protocol": { "type": "http" }, "upstream": "ab" },
                    { "name": "forwarding-off", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "xForwardedFor": "off", "via": false }, "upstream": "ab" },
                    { "name": "forwarding-overwrite", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "xForwardedFor": "overwrite", "forwarded": true }, "upstream": "ab" },
                    { "name": "timeouts", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "requestHeaderTimeout": "1s", "idleTimeout": "1500ms" }, "upstream": "ab" },
                    { "name": "broken", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "malformed" },
                    { "name": "capture", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "capture" } ],
                  "upstreams": [
                    { "name": "ab", "endpoints": [ "%s", "%s" ] },
                    { "name": "api", "endpoints": [ "%s" ] },
                    { "name": "strict", "endpoints": [ "%s" ] },
                    { "name": "dead", "endpoints": [ "127.0.0.1:%d" ] },
                    { "name": "malformed", "endpoints": [ "127.0.0.1:%d" ] },
                    { "name": "capture", "endpoints": [ "127.0.0.1:%d" ] } ] }
                """.formatted(admin, front, smuggle, dead, slow, metered, limited, forwardingOff, forwardingOverwrite, timeouts, broken, capture, a.endpoint(), b.endpoint(), api.endpoint(),
                strict.endpoint(), deadPort, malformed.port(), capturing.port())).toString());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {junction, a, b, api, strict, malformed, capturing}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachRequestOnOneConnectionIsBalancedAndBackendConnectionsAreReused() throws Exception {
        int before = a.connections() + b.connections();
        List<String> backends = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> response = get(front, "/echo/" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            backends.add(response.headers().firstValue("x-backend").orElseThrow());
        }
        assertThat(backends).containsOnly("a", "b");
        assertThat(backends.stream().filter("a"::equals).count()).isEqualTo(20);
        for (int i = 1; i < backends.size(); i++) {
            assertThat(backends.get(i)).as("round-robin per request").isNotEqualTo(backends.get(i - 1));
        }
        assertThat(a.connections() + b.connections() - before).as("backend connections for 40 requests").isLessThanOrEqualTo(4);
    }

    @Test
    void routesMatchByHostPathMethodHeaderAndQueryFirstMatchWins() throws Exception {
        assertThat(backendForHost("api.example.com")).isEqualTo("api");
        assertThat(backendForHost("eu.v1.api.example.com:8080")).isEqualTo("api");
        assertThat(backendForHost("example.com")).isIn("a", "b");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/api/items"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.headers().firstValue("x-backend")).hasValue("api");
        assertThat(get(front, "/api/items").headers().firstValue("x-backend")).isNotEqualTo("api");
        assertThat(get(front, "/apix", "x-canary", "yes").headers().firstValue("x-backend")).hasValue("api");
        assertThat(get(front, "/list?version=2").headers().firstValue("x-backend")).hasValue("api");
        assertThat(get(front, "/list?version=3").headers().firstValue("x-backend").orElseThrow()).isIn("a", "b");
    }

    private String backendForHost(String host) throws IOException {
        try (Socket socket = Net.connect(front)) {
            send(socket, "GET /x HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            String response = Net.readResponse(socket.getInputStream());
            int at = response.toLowerCase().indexOf("x-backend: ");
            return response.substring(at + 11, response.indexOf('\r', at));
        }
    }

    @Test
    void aRequestNoRouteTakesIs404() throws Exception {
        int port = Net.freePort();
        try (JunctionProcess narrow = JunctionProcess.startReady(work, "-c", Configs.write(work, "narrow.json", """
                { "pipelines": [ { "name": "n", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                    "routes": [ { "match": { "path": "/only" }, "upstream": "ab" } ] } ],
                  "upstreams": [ { "name": "ab", "endpoints": [ "%s" ] } ] }
                """.formatted(port, a.endpoint())).toString())) {
            HttpResponse<String> response = get(port, "/other");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("x-junction-error")).hasValue("no-route");
            assertThat(get(port, "/only").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void forwardingHeadersAreAddedAndHopByHopHeadersRemoved() throws Exception {
        try (Socket socket = Net.connect(front)) {
            send(socket, "GET /echo HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 203.0.113.9\r\n"
                    + "Connection: keep-alive, X-Secret\r\nX-Secret: hop\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n\r\n");
            String response = Net.readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200 ");
            assertThat(response).contains("\nx-forwarded-for: 203.0.113.9, 127.0.0.1\n", "\nx-forwarded-proto: http\n",
                    "\nx-forwarded-host: shop.example\n", "\nvia: 1.1 junction\n", "\nhost: shop.example\n");
            assertThat(response).doesNotContain("x-secret", "keep-alive: timeout", "\nte: ");
            assertThat(response).containsIgnoringCase("\r\nVia: 1.1 junction\r\n");
        }
    }

    @Test
    void connectionsBeyondThePipelinesLimitAreClosedAtOnceAndTheSlotComesBack() throws Exception {
        try (Socket first = Net.connect(limited)) {
            send(first, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Net.readResponse(first.getInputStream())).startsWith("HTTP/1.1 200 ");
            try (Socket second = Net.connect(limited)) { // sends nothing: unread bytes would make the close a reset
                assertThat(second.getInputStream().read()).as("a connection beyond maxConnections").isEqualTo(-1);
            }
            send(first, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Net.readResponse(first.getInputStream())).as("the admitted one is still served").startsWith("HTTP/1.1 200 ");
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String answer = "";
        while (!answer.startsWith("HTTP/1.1 200 ") && System.nanoTime() < deadline) { // until Junction has seen the close
            try (Socket again = Net.connect(limited)) {
                send(again, "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                answer = Net.readAll(again.getInputStream());
            } catch (java.io.IOException refused) {
                answer = "";
            }
        }
        assertThat(answer).as("room again once the first connection closed").startsWith("HTTP/1.1 200 ");
        assertThat(Net.get(admin, "/metrics").body())
                .containsPattern("junction_pipeline_connections_rejected_total\\{pipeline=\"limited\",reason=\"max-connections\"} [1-9]");
    }

    @Test
    void forwardingHeadersCanBeOffOrOverwriteAndForwardedCanBeAdded() throws Exception {
        String request = "GET /echo HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n\r\n";
        try (Socket socket = Net.connect(forwardingOff)) { // nothing added, what the client sent passed on as it is
            send(socket, request);
            String response = Net.readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200 ").contains("\nx-forwarded-for: 203.0.113.9\n", "\nx-forwarded-proto: https\n")
                    .doesNotContainIgnoringCase("via:").doesNotContain("x-forwarded-host", "forwarded: for");
        }
        try (Socket socket = Net.connect(forwardingOverwrite)) { // the client's claims replaced, Forwarded added
            send(socket, request);
            String response = Net.readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200 ")
                    .contains("\nx-forwarded-for: 127.0.0.1\n", "\nx-forwarded-proto: http\n", "\nx-forwarded-host: shop.example\n",
                            "\nforwarded: for=127.0.0.1;proto=http;host=\"shop.example\"\n", "\nvia: 1.1 junction\n")
                    .doesNotContain("203.0.113.9", "proto: https");
        }
    }

    @Test
    void anUpstreamWithNoHealthyEndpointIs503() throws Exception {
        int port = Net.freePort();
        int deadPort = Net.freePort();
        try (JunctionProcess proxy = JunctionProcess.startReady(work, "-c", Configs.write(work, "down.json", """
                { "pipelines": [ { "name": "down", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "down" } ],
                  "upstreams": [ { "name": "down", "endpoints": [ "127.0.0.1:%d" ],
                    "healthCheck": { "type": "tcp", "interval": "100ms", "timeout": "50ms", "unhealthyThreshold": 1 } } ] }
                """.formatted(port, deadPort)).toString())) {
            proxy.awaitOutput("is unhealthy", java.time.Duration.ofSeconds(10));
            HttpResponse<String> response = get(port, "/");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("x-junction-error")).hasValue("no-healthy-endpoint");
        }
    }

    @Test
    void aBadRequestAfterAGoodOneOnAKeptAliveConnectionStillGetsItsError() throws Exception {
        try (Socket socket = Net.connect(front)) {
            send(socket, "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Host\r\n\r\n");
            String first = Net.readResponse(socket.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 200 ").as("Host is always sent on").contains("\nhost: x\n");
            send(socket, "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
            assertThat(Net.readAll(socket.getInputStream())).startsWith("HTTP/1.1 400 ").contains("multiple-content-length");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket socket = Net.connect(front)) {
            send(socket, "GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /echo/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String all = Net.readAll(socket.getInputStream());
            int one = all.indexOf("GET /echo/1");
            int two = all.indexOf("GET /echo/2");
            int three = all.indexOf("GET /echo/3");
            assertThat(one).isPositive();
            assertThat(two).isGreaterThan(one);
            assertThat(three).isGreaterThan(two);
            assertThat(all.split("HTTP/1.1 200 ", -1)).hasSize(4);
        }
    }

    @Test
    void aSlowFirstPipelinedRequestIsStillAnsweredFirst() throws Exception {
        try (Socket socket = Net.connect(front)) {
            long start = System.nanoTime();
            // round-robin sends the three to different backends: the fast ones must not overtake the slow first
            send(socket, "GET /sleep?ms=600 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /echo/3 HTTP/1.1\r\nHost: x\r\n\r\n");
            InputStream in = socket.getInputStream();
            String first = Net.readResponse(in);
            assertThat(System.nanoTime() - start).as("the first answer waited for the slow backend")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(600).toNanos());
            assertThat(first).startsWith("HTTP/1.1 200 ").doesNotContain("GET /echo").containsPattern("\r\n\r\n[ab]\n$");
            assertThat(Net.readResponse(in)).startsWith("HTTP/1.1 200 ").contains("\nGET /echo/2\n");
            assertThat(Net.readResponse(in)).startsWith("HTTP/1.1 200 ").contains("\nGET /echo/3\n");
        }
    }

    @Test
    void aClientThatStopsReadingStopsJunctionReadingFromTheBackend() throws Exception {
        double before = receivedFromUpstream("ab");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress(Net.LOOPBACK, front), 5000);
            socket.setSoTimeout(10_000);
            send(socket, "GET /bytes?n=1073741824 HTTP/1.1\r\nHost: x\r\n\r\n"); // 1 GiB, far more than any buffer on the way
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            while (read < 1024 * 1024) {
                int n = in.read(buffer);
                assertThat(n).as("the download started").isPositive();
                read += n;
            }
            // The client stops reading. With backpressure, Junction stops reading from the backend once the socket
            // buffers on the way are full; without it, Junction would go on reading the whole gigabyte into memory.
            double held = awaitPlateau(() -> receivedFromUpstream("ab") - before);
            assertThat(held).as("bytes Junction read from the backend while its client read none")
                    .isLessThan(32.0 * 1024 * 1024); // 5.4 MB here: socket buffers and one outbound buffer
            long more = 0;
            while (more < 128L * 1024 * 1024) { // reading again lets the backend's bytes through again
                int n = in.read(buffer);
                assertThat(n).isPositive();
                more += n;
            }
            assertThat(receivedFromUpstream("ab") - before).as("flow resumed").isGreaterThan(held + 64.0 * 1024 * 1024);
        }
    }

    @Test
    void aBackendThatStopsReadingStopsJunctionReadingFromTheClient() throws Exception {
        double before = receivedFromClients("front");
        try (Socket socket = Net.connect(front)) {
            socket.setSendBufferSize(64 * 1024);
            // The backend sleeps 8 s before it reads any of the body: meanwhile only buffers can take the upload.
            send(socket, "POST /sleep?ms=8000 HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n");
            java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            Thread uploader = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    OutputStream out = socket.getOutputStream();
                    while (written.get() < (1L << 30)) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException closed) {
                    // the test ended the connection
                }
            }, "uploader");
            uploader.setDaemon(true);
            uploader.start();
            double held = awaitPlateau(() -> receivedFromClients("front") - before);
            assertThat(held).as("bytes Junction read from a client whose backend read none")
                    .isLessThan(32.0 * 1024 * 1024); // 4.3 MB here
            assertThat(written.get()).as("the client's writes block too").isLessThan(64L * 1024 * 1024);
        }
    }

    /** Bytes the pipeline has read from its clients, from /metrics. */
    private double receivedFromClients(String pipeline) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "junction_pipeline_received_bytes_total\\{pipeline=\"" + pipeline + "\"} ([0-9.E+]+)").matcher(Net.get(admin, "/metrics").body());
        assertThat(m.find()).as("the pipeline's received bytes").isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Bytes Junction has read from the upstream's endpoints, from /metrics. */
    private double receivedFromUpstream(String upstream) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "junction_upstream_endpoint_received_bytes_total\\{endpoint=\"[^\"]+\",upstream=\"" + upstream + "\"} ([0-9.E+]+)")
                .matcher(Net.get(admin, "/metrics").body());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** Polls a growing figure until it stops growing for a second (at most 20 s); returns it. */
    private static double awaitPlateau(java.util.concurrent.Callable<Double> figure) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        double last = figure.call();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            double now = figure.call();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("still growing after 20 s: " + last + " bytes");
    }

    @Test
    void aLargeBodyStreamsBothWaysIntact() throws Exception {
        long size = 64L * 1024 * 1024;
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(3);
        byte[] chunk = new byte[256 * 1024];
        HttpRequest upload = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/sha"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    private long left = size;
                    private int offset = chunk.length;

                    @Override
                    public int read() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public int read(byte[] into, int off, int len) {
                        if (left == 0) {
                            return -1;
                        }
                        if (offset == chunk.length) {
                            random.nextBytes(chunk);
                            digest.update(chunk);
                            offset = 0;
                        }
                        int n = (int) Math.min(Math.min(len, chunk.length - offset), left);
                        System.arraycopy(chunk, offset, into, off, n);
                        offset += n;
                        left -= n;
                        return n;
                    }
                })).build(); // no length known: the JDK client sends it chunked
        HttpResponse<String> response = client.send(upload, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().trim()).isEqualTo(size + " " + HexFormat.of().formatHex(digest.digest()));

        HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + front + "/bytes?n=" + size)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long received = 0;
        try (InputStream in = download.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received += n;
            }
        }
        assertThat(received).isEqualTo(size);
    }

    /** 1 GiB each way through a Junction whose heap is 64 MB: bodies stream, they are never buffered whole. */
    @Test
    void aGigabyteStreamsBothWaysThroughASmallHeap() throws Exception {
        int port = Net.freePort();
        long size = 1L << 30;
        try (JunctionProcess small = JunctionProcess.startReadyWithOptions(work, "-Xms64m -Xmx64m", "-c",
                Configs.write(work, "gig.json", """
                        { "pipelines": [ { "name": "g", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "ab" } ],
                          "upstreams": [ { "name": "ab", "endpoints": [ "%s" ] } ] }
                        """.formatted(port, a.endpoint())).toString());
             Socket socket = Net.connect(port)) {
            socket.setSoTimeout(120_000);
            byte[] chunk = new byte[1 << 20];
            new Random(5).nextBytes(chunk);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            OutputStream out = socket.getOutputStream();
            out.write(("POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (long sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
                digest.update(chunk);
            }
            out.flush();
            assertThat(Net.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ")
                    .endsWith(size + " " + HexFormat.of().formatHex(digest.digest()) + "\n");

            send(socket, "GET /bytes?n=" + size + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = Net.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("transfer-encoding: chunked");
            long received = 0;
            for (long length; (length = Long.parseLong(readLine(in), 16)) > 0; ) {
                in.skipNBytes(length);
                received += length;
                readLine(in);
            }
            assertThat(received).isEqualTo(size);
            assertThat(small.output()).doesNotContain("OutOfMemoryError");
        }
    }


    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void aDeadEndpointIs502ASlowOneIs504AMalformedResponseIs502() throws Exception {
        HttpResponse<String> deadResponse = get(dead, "/");
        assertThat(deadResponse.statusCode()).isEqualTo(502);
        assertThat(deadResponse.headers().firstValue("x-junction-error")).hasValue("connect-failed");

        // 2 s against 8 s: a cold /echo still answers within the timeout, and the sleeper cannot beat it
        HttpResponse<String> slowResponse = get(slow, "/sleep?ms=8000");
        assertThat(slowResponse.statusCode()).isEqualTo(504);
        assertThat(slowResponse.headers().firstValue("x-junction-error")).hasValue("response-timeout");
        assertThat(get(slow, "/echo").statusCode()).as("the pipeline still serves").isEqualTo(200);
        try (Socket socket = Net.connect(slow)) { // a body that stops halfway
            send(socket, "POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            String stalled = Net.readAll(socket.getInputStream());
            assertThat(stalled).startsWith("HTTP/1.1 408 ").contains("request-body-timeout");
        }

        HttpResponse<String> brokenResponse = get(broken, "/");
        assertThat(brokenResponse.statusCode()).isEqualTo(502);
        assertThat(brokenResponse.headers().firstValue("x-junction-error")).hasValue("invalid-response");

        assertThat(deadResponse.body()).isEqualTo("502 Bad Gateway (connect-failed)\n");
        assertThat(slowResponse.body()).isEqualTo("504 Gateway Timeout (response-timeout)\n");
        assertThat(junction.output()).as("each 5xx Junction answers is logged, with what an operator needs to find it")
                .containsPattern("WARN .* pipeline dead: 502 connect-failed for GET / from /127\\.0\\.0\\.1:\\d+, upstream dead")
                .containsPattern("WARN .* pipeline slow: 504 response-timeout for GET /sleep\\?ms=8000 from .*, upstream ab, endpoint ")
                .containsPattern("WARN .* pipeline broken: 502 invalid-response for GET / from .*, upstream malformed, endpoint .*: "
                        + "multiple-content-length");
    }

    @Test
    void aRequestHeadThatNeverEndsIs408AnIdleConnectionIsClosedAndEachErrorIsCountedOnce() throws Exception {
        try (Socket socket = Net.connect(timeouts)) { // slow loris: the head starts, and stops
            send(socket, "GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n");
            String answer = Net.readAll(socket.getInputStream()); // until Junction closes (10 s read timeout)
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("request-header-timeout");
        }
        try (Socket socket = Net.connect(timeouts)) { // served, then left idle: closed without a word
            send(socket, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            long sent = System.nanoTime();
            String answer = Net.readAll(socket.getInputStream());
            long waited = System.nanoTime() - sent;
            assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("HTTP/1.1 408");
            assertThat(Duration.ofNanos(waited)).as("closed by the idle timeout, not the header timeout")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        }
        try (Socket socket = Net.connect(timeouts)) { // a connection that never sends a byte is idle, not slow
            long opened = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        }
        try (Socket socket = Net.connect(timeouts)) {
            send(socket, "GET / HTTP/1.1\nHost: x\n\n");
            assertThat(Net.readAll(socket.getInputStream())).startsWith("HTTP/1.1 400 ");
        }
        assertThat(Net.get(admin, "/metrics").body()).as("each error answered is counted once")
                .containsPattern("junction_http_errors_total\\{pipeline=\"timeouts\",reason=\"request-header-timeout\"} 1\\.0")
                .containsPattern("junction_http_errors_total\\{pipeline=\"timeouts\",reason=\"bare-lf\"} 1\\.0");
    }

    static Stream<Arguments> smuggling() {
        String x = "a".repeat(1200);
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding",
                        "POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("two Content-Length values",
                        "POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400),
                Arguments.of("Content-Length list", "POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\nabcd", 400),
                Arguments.of("signed Content-Length", "POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n\r\nabcd", 400),
                Arguments.of("Content-Length overflow",
                        "POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\nabcd", 400),
                Arguments.of("Transfer-Encoding not ending in chunked",
                        "POST /sha HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding gzip, chunked",
                        "POST /sha HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
                Arguments.of("bare LF", "GET / HTTP/1.1\nHost: x\n\n", 400),
                Arguments.of("bare CR in a header value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\rc\r\n\r\n", 400),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n", 400),
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 0\r\n\r\n", 400),
                Arguments.of("control character in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: b\u0001c\r\n\r\n", 400),
                Arguments.of("control character in a name", "GET / HTTP/1.1\r\nHost: x\r\nX\u0001A: b\r\n\r\n", 400),
                Arguments.of("NUL in a name", "GET / HTTP/1.1\r\nHost: x\r\nX\u0000A: b\r\n\r\n", 400),
                Arguments.of("invalid method", "G(ET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400),
                Arguments.of("request line over the limit", "GET /" + x + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("header section over the limit",
                        "GET / HTTP/1.1\r\nHost: x\r\nX-A: " + x + "\r\nX-B: " + x + "\r\n\r\n", 431),
                Arguments.of("unsupported version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
                Arguments.of("Content-Length over maxRequestBodySize",
                        "POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + "b".repeat(2000), 413));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("smuggling")
    void ambiguousOrMalformedRequestsAreRejectedAndNeverForwarded(String name, String raw, int status) throws Exception {
        int before = strict.requests();
        try (Socket socket = Net.connect(smuggle)) {
            send(socket, raw);
            String response = Net.readAll(socket.getInputStream()); // the connection is closed after the error
            assertThat(response).startsWith("HTTP/1.1 " + status + " ");
            assertThat(response).containsIgnoringCase("x-junction-error: ").containsIgnoringCase("connection: close");
        }
        assertThat(strict.requests()).as("nothing reached the backend").isEqualTo(before);
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("malformed chunk size", "0x4\r\nabcd\r\n0\r\n\r\n"),
                Arguments.of("chunk size with a sign", "+4\r\nabcd\r\n0\r\n\r\n"),
                Arguments.of("chunk without CRLF after its data", "4\r\nabcdX\r\n0\r\n\r\n"),
                Arguments.of("bare LF after a chunk size", "4\nabcd\r\n0\r\n\r\n"),
                Arguments.of("chunk size overflow", "fffffffffffffffff\r\nabcd\r\n0\r\n\r\n"));
    }

    /**
     * A body that goes bad after a valid head: the head was already on its way to the backend, so the
     * backend connection is cut (it never sees a complete request) and the client gets 400 and a close.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void aMalformedChunkedBodyIs400AndTheBackendNeverGetsACompleteRequest(String name, String body) throws Exception {
        try (Socket socket = Net.connect(capture)) {
            send(socket, "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
            String response = Net.readAll(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close");
        }
        String received = capturing.awaitCapture();
        assertThat(received).startsWith("POST /upload HTTP/1.1\r\n").doesNotContain("\r\n0\r\n\r\n");
    }

    @Test
    void aChunkedBodyGrowingPastTheLimitIs413() throws Exception {
        try (Socket socket = Net.connect(smuggle)) {
            String chunk = "3e8\r\n" + "c".repeat(1000) + "\r\n";
            send(socket, "POST /sha HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);
            assertThat(Net.readAll(socket.getInputStream())).startsWith("HTTP/1.1 413 ").contains("request-body-too-large");
        }
    }

    @Test
    void aValidChunkedRequestIsReframedExtensionsDroppedTrailersKept() throws Exception {
        try (Socket socket = Net.connect(capture)) {
            send(socket, "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4;ext=1;q=\"a b\"\r\nabcd\r\n2\r\nef\r\n0\r\nX-Trailer: t\r\nHost: evil\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n");
            assertThat(Net.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
        }
        String received = capturing.awaitCapture();
        assertThat(received).contains("\r\nTransfer-Encoding: chunked\r\n")
                .endsWith("\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\nX-Trailer: t\r\n\r\n");
    }

    @Test
    void expectContinueHeadAnd204AndHttp10() throws Exception {
        HttpResponse<String> continued = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/sha"))
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(continued.statusCode()).isEqualTo(200);
        assertThat(continued.body()).startsWith("5 ");

        try (Socket socket = Net.connect(front)) {
            send(socket, "HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\nGET /status?code=204 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /echo/after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String all = Net.readAll(socket.getInputStream());
            String[] responses = all.split("(?=HTTP/1.1 )");
            assertThat(responses).hasSize(3);
            assertThat(responses[0]).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n"); // HEAD: no body
            assertThat(responses[1]).startsWith("HTTP/1.1 204 ").endsWith("\r\n\r\n");
            assertThat(responses[2]).startsWith("HTTP/1.1 200 ").contains("GET /echo/after");
        }

        try (Socket socket = Net.connect(front)) { // HTTP/1.0 gets a chunked backend response delimited by the close
            send(socket, "GET /bytes?n=100000 HTTP/1.0\r\n\r\n");
            String all = Net.readAll(socket.getInputStream());
            assertThat(all).startsWith("HTTP/1.0 200 ").doesNotContainIgnoringCase("transfer-encoding");
            assertThat(all.length() - all.indexOf("\r\n\r\n") - 4).isEqualTo(100000);
        }
    }

    @Test
    void aWebSocketIsTunnelledAfterTheBackendAgreesAndH2cUpgradesAreNotPassed() throws Exception {
        int port = Net.freePort();
        try (WebSocketEchoServer echo = new WebSocketEchoServer("ws");
             JunctionProcess proxy = JunctionProcess.startReady(work, "-c", Configs.write(work, "ws.json", """
                     { "pipelines": [ { "name": "ws", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                         "routes": [ { "match": { "pathPrefix": "/chat" }, "upstream": "ws" }, { "upstream": "plain" } ] } ],
                       "upstreams": [ { "name": "ws", "endpoints": [ "%s" ] }, { "name": "plain", "endpoints": [ "%s" ] } ] }
                     """.formatted(port, echo.endpoint(), a.endpoint())).toString())) {
            java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
            java.net.http.WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat"),
                    new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                            messages.add(data.toString());
                            ws.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                socket.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
                assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("ws:hello " + i);
            }
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

            // A backend that does not speak WebSocket answers normally, and the connection stays HTTP.
            try (Socket raw = Net.connect(port)) {
                send(raw, "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
                String first = Net.readResponse(raw.getInputStream());
                assertThat(first).startsWith("HTTP/1.1 200 ").contains("\nupgrade: websocket\n");
                send(raw, "GET /echo/h2c HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
                String second = Net.readResponse(raw.getInputStream());
                assertThat(second).startsWith("HTTP/1.1 200 ").contains("GET /echo/h2c")
                        .doesNotContain("\nupgrade:", "\nhttp2-settings:");
            }
        }
    }

    @Test
    void routeActionsRewriteEditHeadersRedirectAndAnswerDirectly() throws Exception {
        int port = Net.freePort();
        try (JunctionProcess proxy = JunctionProcess.startReady(work, "-c", Configs.write(work, "actions.json", """
                { "pipelines": [ { "name": "act", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                    "routes": [
                      { "match": { "pathPrefix": "/old" },
                        "action": { "redirect": { "status": 301, "location": "https://new.example.com" } } },
                      { "match": { "path": "/maintenance" },
                        "action": { "respond": { "status": 503, "body": "down for maintenance", "headers": { "Retry-After": "60" } } } },
                      { "match": { "pathPrefix": "/svc" }, "upstream": "ab",
                        "action": { "rewritePathPrefix": "/echo", "rewriteHost": "internal.local",
                                    "requestHeaders": { "set": { "X-Route": "svc" }, "remove": [ "X-Drop" ] },
                                    "responseHeaders": { "add": { "X-Served-By": "junction" }, "remove": [ "X-Backend" ] } } } ] } ],
                  "upstreams": [ { "name": "ab", "endpoints": [ "%s" ] } ] }
                """.formatted(port, a.endpoint())).toString())) {
            HttpResponse<String> redirect = get(port, "/old/page?x=1");
            assertThat(redirect.statusCode()).isEqualTo(301);
            assertThat(redirect.headers().firstValue("location")).hasValue("https://new.example.com/old/page?x=1");

            HttpResponse<String> maintenance = get(port, "/maintenance");
            assertThat(maintenance.statusCode()).isEqualTo(503);
            assertThat(maintenance.body()).isEqualTo("down for maintenance");
            assertThat(maintenance.headers().firstValue("retry-after")).hasValue("60");

            HttpResponse<String> rewritten = get(port, "/svc/items?q=2", "X-Drop", "secret", "X-Keep", "kept");
            assertThat(rewritten.statusCode()).isEqualTo(200);
            assertThat(rewritten.body()).contains("GET /echo/items?q=2\n", "\nhost: internal.local\n", "\nx-route: svc\n",
                    "\nx-keep: kept\n").doesNotContain("x-drop");
            assertThat(rewritten.headers().firstValue("x-served-by")).hasValue("junction");
            assertThat(rewritten.headers().firstValue("x-backend")).isEmpty();
        }
    }

    @Test
    void badRouteActionsAreConfigErrorsNamingTheirPath() throws Exception {
        Path config = Configs.write(work, "bad-actions.json", """
                { "pipelines": [
                    { "name": "h", "listen": "127.0.0.1:1", "protocol": { "type": "http" },
                      "routes": [ { "match": { "path": "/x" }, "upstream": "ab", "action": { "rewritePathPrefix": "/y" } },
                                  { "action": { "redirect": { "status": 200, "location": "https://x" } } } ] },
                    { "name": "t", "listen": "127.0.0.1:2", "protocol": { "type": "tcp" },
                      "routes": [ { "upstream": "ab", "action": { "rewriteHost": "x" } } ] } ],
                  "upstreams": [ { "name": "ab", "endpoints": [ "%s" ] } ] }
                """.formatted(a.endpoint()));
        JunctionProcess.Result result = JunctionProcess.run(work, "validate", "-c", config.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr() + result.stdout())
                .contains("pipelines[0].routes[1].action.redirect.status: expected 301, 302, 303, 307 or 308, got 200")
                .contains("pipelines[1].routes[0].action: protocol 'tcp' routes take no action; remove \"action\"");

        Path prefixless = Configs.write(work, "prefixless.json", """
                { "pipelines": [ { "name": "h", "listen": "127.0.0.1:1", "protocol": { "type": "http" },
                      "routes": [ { "match": { "path": "/x" }, "upstream": "ab", "action": { "rewritePathPrefix": "/y" } } ] } ],
                  "upstreams": [ { "name": "ab", "endpoints": [ "%s" ] } ] }
                """.formatted(a.endpoint()));
        JunctionProcess.Result second = JunctionProcess.run(work, "validate", "-c", prefixless.toString());
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.stderr() + second.stdout()).contains("routes[0].action.rewritePathPrefix: the route's match needs a \"pathPrefix\"");
    }

    /** TLS terminated by the pipeline, HTTP proxied behind it: the backend is told the client came over https. */
    @Test
    void overTlsTheBackendHearsTheClientCameOverHttps() throws Exception {
        int port = Net.freePort();
        TlsCertificates.Pair cert = TlsCertificates.create(work, "www.example.com");
        try (JunctionProcess proxy = JunctionProcess.startReady(work, "-c", Configs.write(work, "https.json", """
                { "pipelines": [ { "name": "https", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                    "tls": { "certificates": [ { "cert": "%s", "key": "%s" } ] }, "upstream": "ab" } ],
                  "upstreams": [ { "name": "ab", "endpoints": [ "%s" ] } ] }
                """.formatted(port, cert.cert(), cert.key(), a.endpoint())).toString())) {
            javax.net.ssl.SSLSocketFactory factory = TlsCertificates.trusting(cert).getSocketFactory();
            try (Socket socket = factory.createSocket(Net.LOOPBACK, port)) {
                send(socket, "GET /echo HTTP/1.1\r\nHost: www.example.com\r\n\r\n");
                assertThat(Net.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ").contains("\nx-forwarded-proto: https\n");
                send(socket, "GET /echo HTTP/1.1\r\nHost: www.example.com\r\nX-Forwarded-Proto: http\r\n\r\n");
                assertThat(Net.readResponse(socket.getInputStream())).as("append mode keeps what the client said")
                        .contains("\nx-forwarded-proto: http\n");
            }
        }
    }

    @Test
    void metricsCountRequestsByRouteStatusClassAndBackendReuse() throws Exception {
        for (int i = 0; i < 5; i++) {
            get(front, "/echo");
        }
        assertThat(backendForHost("api.example.com")).isEqualTo("api");
        String metrics = Net.get(admin, "/metrics").body();
        assertThat(metrics).containsPattern("junction_http_requests_total\\{pipeline=\"front\",route=\"catch-all\",status=\"2xx\",upstream=\"ab\"} [1-9]");
        assertThat(metrics).containsPattern("junction_http_requests_total\\{pipeline=\"front\",route=\"routes\\[0]\",status=\"2xx\",upstream=\"api\"} [1-9]");
        assertThat(metrics).containsPattern("junction_http_backend_connections_reused_total\\{pipeline=\"front\",upstream=\"ab\"} [1-9]");
        assertThat(metrics).contains("junction_http_request_duration_seconds_count{pipeline=\"front\",route=\"catch-all\",upstream=\"ab\"}");
    }

    @Test
    void aPipelinesMetersCountEachRouteStatusClassLatencyBodyBytesAndBackendConnections() throws Exception {
        byte[] upload = new byte[10_000];
        java.util.Arrays.fill(upload, (byte) 'u');
        HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metered + "/sha"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metered + "/bytes?n=70000"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<String> missing = get(metered, "/status?code=404");
        HttpResponse<String> gone = get(metered, "/gone");
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).startsWith("10000 ");
        assertThat(download.body()).hasSize(70_000);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(gone.statusCode()).isEqualTo(502);
        long proxiedResponseBytes = posted.body().getBytes(StandardCharsets.UTF_8).length + 70_000L
                + missing.body().getBytes(StandardCharsets.UTF_8).length;

        String metrics = Net.get(admin, "/metrics").body();
        String all = "pipeline=\"metered\",route=\"all\"";
        assertThat(metrics)
                .contains("junction_http_requests_total{" + all + ",status=\"2xx\",upstream=\"ab\"} 2.0")
                .contains("junction_http_requests_total{" + all + ",status=\"4xx\",upstream=\"ab\"} 1.0")
                .contains("junction_http_requests_total{pipeline=\"metered\",route=\"gone\",status=\"5xx\",upstream=\"dead\"} 1.0")
                .contains("junction_http_request_duration_seconds_count{" + all + ",upstream=\"ab\"} 3")
                .containsPattern("junction_http_request_duration_seconds_bucket\\{[^}]*" + all + "[^}]*} [0-3]")
                .contains("junction_http_request_body_bytes_total{" + all + ",upstream=\"ab\"} 10000.0")
                .contains("junction_http_response_body_bytes_total{" + all + ",upstream=\"ab\"} " + proxiedResponseBytes + ".0")
                .contains("junction_http_requests_active{" + all + ",upstream=\"ab\"} 0.0")
                .contains("junction_http_requests_active{pipeline=\"metered\",route=\"gone\",upstream=\"dead\"} 0.0")
                .containsPattern("junction_http_backend_connections_idle\\{pipeline=\"metered\",upstream=\"ab\"} [1-9]")
                .contains("junction_http_errors_total{pipeline=\"metered\",reason=\"connect-failed\"} 1.0");
        java.util.regex.Matcher opened = java.util.regex.Pattern.compile(
                "junction_http_backend_connections_opened_total\\{pipeline=\"metered\",upstream=\"ab\"} ([0-9.]+)").matcher(metrics);
        java.util.regex.Matcher reused = java.util.regex.Pattern.compile(
                "junction_http_backend_connections_reused_total\\{pipeline=\"metered\",upstream=\"ab\"} ([0-9.]+)").matcher(metrics);
        double openedCount = opened.find() ? Double.parseDouble(opened.group(1)) : 0;
        double reusedCount = reused.find() ? Double.parseDouble(reused.group(1)) : 0;
        assertThat(openedCount).as("backend connections opened").isGreaterThanOrEqualTo(1);
        assertThat(openedCount + reusedCount).as("each proxied request took a new or a pooled connection").isEqualTo(3);

        // a request in flight is active under its route and upstream, and only there
        java.util.concurrent.CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metered + "/sleep?ms=1500")).build(), HttpResponse.BodyHandlers.ofString());
        String during = "";
        for (int i = 0; i < 100 && !during.contains("junction_http_requests_active{" + all + ",upstream=\"ab\"} 1.0"); i++) {
            Thread.sleep(10);
            during = Net.get(admin, "/metrics").body();
        }
        assertThat(slow).as("measured while the request was in flight").isNotDone();
        assertThat(during).contains("junction_http_requests_active{" + all + ",upstream=\"ab\"} 1.0")
                .contains("junction_http_requests_active{pipeline=\"metered\",route=\"gone\",upstream=\"dead\"} 0.0");
        assertThat(slow.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(Net.get(admin, "/metrics").body()).contains("junction_http_requests_active{" + all + ",upstream=\"ab\"} 0.0");
    }

    private static void send(Socket socket, String raw) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }


    /**
     * A backend that records what one connection sent until it goes quiet (or closes), then answers
     * 200; tests take the recording with {@link #awaitCapture}.
     */
    static final class CapturingBackend implements AutoCloseable {

        private final ServerSocket server;
        private final Thread thread;
        private final java.util.concurrent.BlockingQueue<String> captures = new java.util.concurrent.LinkedBlockingQueue<>();

        CapturingBackend() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        socket.setSoTimeout(500);
                        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                        byte[] buffer = new byte[8192];
                        try {
                            for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
                                bytes.write(buffer, 0, n);
                            }
                        } catch (java.net.SocketTimeoutException quiet) {
                            // all it will send
                        }
                        captures.add(bytes.toString(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed, or a client gone: next
                    }
                }
            }, "capturing-backend");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String awaitCapture() throws InterruptedException {
            String capture = captures.poll(10, TimeUnit.SECONDS);
            assertThat(capture).as("a connection reached the capturing backend").isNotNull();
            return capture;
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** A backend that answers every connection with fixed bytes, read its request head first, and closes. */
    static final class RawBackend implements AutoCloseable {

        private final ServerSocket server;
        private final Thread thread;

        RawBackend(String response) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        socket.setSoTimeout(5000);
                        InputStream in = socket.getInputStream();
                        int matched = 0;
                        byte[] end = {'\r', '\n', '\r', '\n'};
                        for (int c; matched < 4 && (c = in.read()) >= 0; ) {
                            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
                        }
                        socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        // closed, or a client gone: next
                    }
                }
            }, "raw-backend");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
