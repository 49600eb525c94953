package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 clients through the real distribution to HTTP/2 backends (upstreams with {@code "httpProtocol": "h2"}):
 * h2c with prior knowledge and h2 over TLS negotiated by ALPN, against Netty HTTP/2 servers on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class Http2UpstreamIT {

    private Path work;
    private H2Backend main;
    private H2Backend narrow;
    private H2Backend leaving;
    private H2Backend victim;
    private H2Backend secure;
    private UpstreamTlsIT.HttpsBackend http11Only;
    private JunctionProcess junction;
    private final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("h2-upstream-it");
        Path conf = Files.createDirectories(work.resolve("conf"));
        Path tls = Files.createDirectories(conf.resolve("tls"));
        TlsCertificates.Pair cert = TlsCertificates.create(tls, "h2.internal");
        TlsCertificates.create(tls, "backend.internal");
        SslContext serverTls = SslContextBuilder.forServer(cert.cert().toFile(), cert.key().toFile()).sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        main = new H2Backend(100, null);
        narrow = new H2Backend(5, null);
        leaving = new H2Backend(100, null);
        victim = new H2Backend(100, null);
        secure = new H2Backend(100, serverTls);
        http11Only = new UpstreamTlsIT.HttpsBackend(tls.resolve("backend.internal.p12"));
        Map<String, String> upstreams = new java.util.LinkedHashMap<>();
        upstreams.put("main", "{ \"name\": \"main\", \"endpoints\": [ \"%s\" ], \"httpProtocol\": \"h2\" }".formatted(main.endpoint()));
        upstreams.put("narrow", "{ \"name\": \"narrow\", \"endpoints\": [ \"%s\" ], \"httpProtocol\": \"h2\" }".formatted(narrow.endpoint()));
        upstreams.put("leaving", "{ \"name\": \"leaving\", \"endpoints\": [ \"%s\" ], \"httpProtocol\": \"h2\" }".formatted(leaving.endpoint()));
        upstreams.put("victim", "{ \"name\": \"victim\", \"endpoints\": [ \"%s\" ], \"httpProtocol\": \"h2\" }".formatted(victim.endpoint()));
        for (String provider : List.of("jdk", "openssl")) {
            upstreams.put("secure-" + provider, """
                    { "name": "secure-%s", "endpoints": [ "%s" ], "httpProtocol": "h2",
                      "tls": { "caFile": "tls/h2.internal.pem", "serverName": "h2.internal", "provider": "%s" } }"""
                    .formatted(provider, secure.endpoint(), provider));
            upstreams.put("h1only-" + provider, """
                    { "name": "h1only-%s", "endpoints": [ "%s" ], "httpProtocol": "h2",
                      "tls": { "caFile": "tls/backend.internal.pem", "serverName": "backend.internal", "provider": "%s" } }"""
                    .formatted(provider, http11Only.endpoint(), provider));
        }
        List<String> pipelines = new ArrayList<>();
        for (String name : upstreams.keySet()) {
            ports.put(name, Net.freePort());
            pipelines.add("""
                    { "name": "%s", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "connectTimeout": "2s" },
                      "upstream": "%s" }""".formatted(name, ports.get(name), name));
        }
        Path config = Configs.write(conf, "h2-upstream.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [ %s ],
                  "upstreams": [ %s ] }
                """.formatted(Net.freePort(), String.join(",\n", pipelines), String.join(",\n", upstreams.values())));
        junction = JunctionProcess.startReady(work, "-c", work.relativize(config).toString());
    }

    @AfterAll
    void stop() {
        // Netty reports a leaked buffer when it is collected: whatever was collected by now must not be one.
        String output = junction == null ? "" : junction.output();
        for (AutoCloseable closeable : new AutoCloseable[] {junction, main, narrow, leaving, victim, secure, http11Only}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        assertThat(output).doesNotContain("LEAK:");
    }

    private URI uri(String pipeline, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(pipeline) + path);
    }

    private HttpResponse<String> get(String pipeline, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pipeline, path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One request on a new connection with {@code Connection: close}: the whole response as the client reads it. */
    private String raw(String pipeline, String request) throws Exception {
        try (Socket socket = Net.connect(ports.get(pipeline))) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aGetReachesTheBackendAsAnHttp2RequestWithPseudoHeadersAndNoConnectionFields() throws Exception {
        String response = raw("main", "GET /echo?x=1 HTTP/1.1\r\nHost: shop.example\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\n"
                + "Keep-Alive: timeout=5\r\nTE: trailers, deflate\r\nX-Custom: Yes\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 \r\n");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("\r\nx-method: get", "\r\nx-scheme: http\r\n", "\r\nx-authority: shop.example\r\n",
                "\r\nx-path: /echo?x=1\r\n", "\r\nx-te: trailers\r\n", "\r\nvia: 2 junction\r\n", "\r\ncontent-length: 0\r\n");
        String names = head.substring(head.indexOf("x-names: ") + 9, head.indexOf("\r\n", head.indexOf("x-names: ")));
        assertThat(names.split(",")).contains("x-custom", "x-forwarded-for", "via")
                .doesNotContain("host", "connection", "keep-alive", "x-hop", "transfer-encoding", "upgrade");
    }

    @Test
    void bodiesTravelBothWaysUpToMegabytes() throws Exception {
        HttpResponse<String> small = client.send(HttpRequest.newBuilder(uri("main", "/echo")).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).isEqualTo("hello");
        assertThat(small.headers().firstValue("x-content-length")).hasValue("5");

        byte[] big = new byte[5 * 1024 * 1024];
        new Random(6).nextBytes(big);
        HttpResponse<byte[]> echoed = client.send(HttpRequest.newBuilder(uri("main", "/echo")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.headers().firstValue("content-length")).hasValue(Integer.toString(big.length));
        assertThat(H2Backend.sha256(echoed.body())).isEqualTo(H2Backend.sha256(big));

        int n = 5 * 1024 * 1024 + 7;
        HttpResponse<byte[]> streamed = client.send(HttpRequest.newBuilder(uri("main", "/stream?n=" + n)).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).hasSize(n);
        for (int i = 0; i < n; i += 4099) {
            assertThat(streamed.body()[i]).isEqualTo((byte) (i % 251));
        }
    }

    @Test
    void aChunkedRequestWithTrailersReachesTheBackendWithItsTrailers() throws Exception {
        String response = raw("main", "POST /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("hello");
        assertThat(response).contains("x-trailers: DefaultHttp2Headers[x-checksum: abc]", "x-content-length: null");
    }

    @Test
    void aStreamedResponseReachesTheClientChunkedWithItsTrailers() throws Exception {
        String response = raw("main", "GET /stream?n=40000 HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTE: trailers\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\nTransfer-Encoding: chunked\r\n");
        byte[] expected = new byte[40000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i % 251);
        }
        assertThat(response).endsWith("\r\n0\r\nx-total: 40000\r\nx-sha256: " + H2Backend.sha256(expected) + "\r\n\r\n");
    }

    @Test
    void headAndResponsesWithoutABodyKeepTheirFields() throws Exception {
        String head = raw("main", "HEAD /anything HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\ncontent-length: 11\r\n").endsWith("\r\n\r\n");
        String noContent = raw("main", "GET /status?code=204 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(noContent).startsWith("HTTP/1.1 204 ").doesNotContainIgnoringCase("content-length").endsWith("\r\n\r\n");
        String notModified = raw("main", "GET /status?code=304 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(notModified).startsWith("HTTP/1.1 304 ").contains("etag: \"v1\"").endsWith("\r\n\r\n");
    }

    @Test
    void anEmptyAnswerEndedOnItsHeadersIsFramedForHttp11Clients() throws Exception {
        // HTTP/2 ends a body-less 200 or 404 on its HEADERS; HTTP/1.1 must say Content-Length: 0, or the client
        // would wait for the connection to close and the next response on it could never be read
        String both = raw("main", "GET /status?code=200 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /status?code=404 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(both).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\ncontent-length: 0\r\n")
                .contains("\r\n\r\nHTTP/1.1 404 ").endsWith("\r\n\r\n");
    }

    @Test
    void anInterimResponseIsPassedOnBeforeTheFinalOne() throws Exception {
        String response = raw("main", "GET /interim HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 103 \r\n").contains("link: </style.css>; rel=preload\r\n")
                .contains("\r\n\r\nHTTP/1.1 200 \r\n").endsWith("\r\n\r\nb\r\nafter hints\r\n0\r\n\r\n");
    }

    @Test
    void concurrentRequestsShareOneConnectionPerEventLoop() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // the JDK client opens an HTTP/1.1 connection for each request in flight
            responses.add(client.sendAsync(HttpRequest.newBuilder(uri("main", "/slow?ms=3000&tag=multiplexed"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(main.connections("multiplexed")).as("backend connections for 40 concurrent requests").isBetween(1, 2);
        assertThat(main.maxInFlight()).as("requests in flight at once on the backend").isGreaterThanOrEqualTo(20);
    }

    @Test
    void theBackendsStreamLimitOpensMoreConnections() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(uri("narrow", "/slow?ms=800&tag=narrow"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(narrow.connections("narrow")).as("connections at 5 streams each for 12 requests").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aGoAwayFromTheBackendCostsTheClientsNothing() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            responses.add(send("leaving", "/slow?ms=300"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (leaving.maxInFlight() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        int before = leaving.connections();
        leaving.goAway(); // mid-load: the streams it saw finish, the rest and every new request go to new connections
        for (int i = 0; i < 30; i++) {
            responses.add(send("leaving", "/slow?ms=10"));
            Thread.sleep(3);
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).as(answered.headers().firstValue("x-junction-error").orElse("")).isEqualTo(200);
        }
        assertThat(leaving.connections()).as("connections opened after the GOAWAY").isGreaterThan(before);
    }

    private CompletableFuture<HttpResponse<String>> send(String pipeline, String path) {
        return client.sendAsync(HttpRequest.newBuilder(uri(pipeline, path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBackendThatDiesIs502() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(uri("victim", "/slow?ms=5000"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (victim.maxInFlight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        victim.kill();
        HttpResponse<String> cut = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(cut.statusCode()).isEqualTo(502);
        assertThat(cut.headers().firstValue("x-junction-error")).hasValueSatisfying(reason -> assertThat(reason).startsWith("backend-"));
        HttpResponse<String> refused = get("victim", "/slow?ms=1");
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.headers().firstValue("x-junction-error")).hasValue("connect-failed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void h2OverTlsIsNegotiatedByAlpn(String provider) throws Exception {
        HttpResponse<String> response = get("secure-" + provider, "/echo");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-scheme")).hasValue("https");
        assertThat(response.headers().firstValue("x-authority")).hasValue("127.0.0.1:" + ports.get("secure-" + provider));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void aTlsBackendThatDoesNotSelectH2Is502WithAClearLogLine(String provider) throws Exception {
        HttpResponse<String> response = get("h1only-" + provider, "/hello");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-junction-error")).hasValue("connect-failed");
        assertThat(junction.output()).contains("upstream h1only-" + provider + ": " + http11Only.endpoint()
                + " did not select h2 by ALPN (selected: none)");
    }

    @Test
    void aBadHttpProtocolIsAValidateErrorNamingItsPath() throws Exception {
        Path bad = Configs.write(work, "bad-protocol.json", """
                { "pipelines": [ { "name": "p", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "u" } ],
                  "upstreams": [ { "name": "u", "endpoints": [ "127.0.0.1:1" ], "httpProtocol": "h2c" } ] }
                """.formatted(Net.freePort()));
        JunctionProcess.Result result = JunctionProcess.run(work, "validate", "-c", bad.toString());
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stdout() + result.stderr()).contains("upstreams[0].httpProtocol").contains("expected \"http/1.1\" or \"h2\"");
    }
}
