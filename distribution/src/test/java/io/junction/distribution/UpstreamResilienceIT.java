package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5 end to end: backends that die, fail, recover and slow down behind the real distribution —
 * outlier ejection, retries, circuit breaking, panic mode, slow start and cookie affinity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class UpstreamResilienceIT {

    private Path work;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private JunctionProcess junction;
    private int admin;
    private final Map<String, Integer> ports = new HashMap<>();
    private FlakyBackend k1, k2, k3, e1, e2, s1, p1, p2, r1, r2, ok, f1, f2, f3, w1, w2, t1, t2;
    private ClosingBackend closer;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private FlakyBackend backend(String name) throws IOException {
        FlakyBackend b = new FlakyBackend(name);
        closeables.add(b);
        return b;
    }

    @BeforeAll
    void start() throws Exception {
        work = java.nio.file.Files.createTempDirectory("resilience-it");
        k1 = backend("k1");
        k2 = backend("k2");
        k3 = backend("k3");
        e1 = backend("e1");
        e2 = backend("e2");
        s1 = backend("s1");
        p1 = backend("p1");
        p2 = backend("p2");
        r1 = backend("r1").status(503);
        r2 = backend("r2");
        ok = backend("ok");
        closer = new ClosingBackend();
        closeables.add(closer);
        f1 = backend("f1");
        f2 = backend("f2");
        f3 = backend("f3");
        w1 = backend("w1");
        w2 = backend("w2");
        t1 = backend("t1").delayMillis(3000);
        t2 = backend("t2");
        admin = Net.freePort();
        for (String p : List.of("kill", "errors", "overflow", "panic", "nopanic", "status", "buffered", "affinity", "ramp", "tcpcap", "pertry")) {
            ports.put(p, Net.freePort());
        }
        String check = "\"healthCheck\": { \"type\": \"http\", \"path\": \"/health\", \"interval\": \"400ms\", \"timeout\": \"350ms\"";
        junction = JunctionProcess.startReady(work, "-c", Configs.write(work, "resilience.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "kill", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "kill3" },
                    { "name": "errors", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "retry": { "attempts": 0 } }, "upstream": "err2" },
                    { "name": "overflow", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "slow1" },
                    { "name": "panic", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "panic2" },
                    { "name": "nopanic", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "nopanic2" },
                    { "name": "status", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "retry": { "retryOn": [ "503" ], "backoff": "1ms", "maxBackoff": "5ms" } },
                      "upstream": "retry2" },
                    { "name": "buffered", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [
                        { "match": { "pathPrefix": "/buffered" }, "upstream": "closer-ok",
                          "action": { "bufferRequestBody": "64KB", "retry": { "methods": [ "POST" ] } } },
                        { "match": { "pathPrefix": "/" }, "upstream": "closer-ok", "action": { "retry": { "methods": [ "POST" ] } } } ] },
                    { "name": "affinity", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [ { "upstream": "sticky3", "action": { "affinityCookie": { "name": "srv" } } } ] },
                    { "name": "ramp", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "ramp2" },
                    { "name": "tcpcap", "listen": "127.0.0.1:%d", "protocol": { "type": "tcp" }, "upstream": "tcp1" },
                    { "name": "pertry", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "responseTimeout": "10s",
                      "retry": { "retryOn": [ "timeout" ], "perTryTimeout": "300ms" } }, "upstream": "slowfast" } ],
                  "upstreams": [
                    { "name": "kill3", "endpoints": [ "%s", "%s", "%s" ],
                      "outlierDetection": { "consecutiveGatewayFailures": 2, "baseEjectionTime": "60s" },
                      "circuitBreaker": { "minRetryConcurrency": 20 } },
                    { "name": "err2", "endpoints": [ "%s", "%s" ],
                      "outlierDetection": { "consecutiveErrors": 3, "baseEjectionTime": "1s", "maxEjectionTime": "2s" },
                      %s, "unhealthyThreshold": 1000 } },
                    { "name": "slow1", "endpoints": [ "%s" ], "circuitBreaker": { "maxRequests": 1 } },
                    { "name": "panic2", "endpoints": [ "%s", "%s" ], "panicThreshold": 50,
                      %s, "healthyThreshold": 1, "unhealthyThreshold": 1 } },
                    { "name": "nopanic2", "endpoints": [ "%s", "%s" ],
                      %s, "healthyThreshold": 1, "unhealthyThreshold": 1 } },
                    { "name": "retry2", "endpoints": [ "%s", "%s" ] },
                    { "name": "closer-ok", "endpoints": [ "%s", "%s" ] },
                    { "name": "sticky3", "endpoints": [ "%s", "%s", "%s" ] },
                    { "name": "ramp2", "endpoints": [ "%s", "%s" ], "slowStart": "20s",
                      "outlierDetection": { "consecutiveErrors": 1, "baseEjectionTime": "500ms", "maxEjectionTime": "1s" } },
                    { "name": "tcp1", "endpoints": [ "%s" ], "circuitBreaker": { "maxConnections": 1 } },
                    { "name": "slowfast", "endpoints": [ "%s", "%s" ] } ] }
                """.formatted(admin, ports.get("kill"), ports.get("errors"), ports.get("overflow"), ports.get("panic"), ports.get("nopanic"),
                ports.get("status"), ports.get("buffered"), ports.get("affinity"), ports.get("ramp"), ports.get("tcpcap"), ports.get("pertry"),
                k1.endpoint(), k2.endpoint(), k3.endpoint(),
                e1.endpoint(), e2.endpoint(), check,
                s1.endpoint(),
                p1.endpoint(), p2.endpoint(), check,
                p1.endpoint(), p2.endpoint(), check,
                r1.endpoint(), r2.endpoint(),
                closer.endpoint(), ok.endpoint(),
                f1.endpoint(), f2.endpoint(), f3.endpoint(),
                w1.endpoint(), w2.endpoint(), r2.endpoint(), t1.endpoint(), t2.endpoint())).toString());
    }

    @AfterAll
    void stop() throws Exception {
        if (junction != null) {
            junction.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private HttpResponse<String> get(String pipeline, String path, String... headers) throws Exception {
        return send(pipeline, path, null, headers);
    }

    private HttpResponse<String> send(String pipeline, String path, String postBody, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(pipeline) + path))
                .timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (postBody != null) {
            request.POST(HttpRequest.BodyPublishers.ofString(postBody));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String upstreams() throws Exception {
        return Net.get(admin, "/upstreams").body();
    }

    /** The state /upstreams reports for the endpoint {@code id} of {@code upstream}. */
    private String state(String upstream, String id) throws Exception {
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(upstreams());
        for (var u : root.get("upstreams")) {
            if (u.get("name").asText().equals(upstream)) {
                for (var e : u.get("endpoints")) {
                    if (e.get("id").asText().equals(id)) {
                        return e.get("state").asText();
                    }
                }
            }
        }
        throw new AssertionError("no endpoint " + id + " in upstream " + upstream + ": " + upstreams());
    }

    private static void waitUntil(String what, long millis, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aBackendKilledUnderLoadIsEjectedAndNoIdempotentRequestFails() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 5000 && System.nanoTime() < end; i++) {
                    try {
                        HttpResponse<String> r = get("kill", "/item/" + i);
                        if (r.statusCode() == 200) {
                            served.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                            problems.add(r.statusCode() + " " + r.headers().firstValue("x-junction-error").orElse(""));
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        problems.add(e.toString());
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(1500);
        int k3Before = k3.requests();
        k3.stop();
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertThat(problems).as("failed requests").isEmpty();
        assertThat(failures.get()).isZero();
        assertThat(served.get()).isGreaterThan(100);
        assertThat(k3Before).as("k3 served before it died").isGreaterThan(10);
        assertThat(state("kill3", k3.endpoint())).isEqualTo("ejected");
        assertThat(state("kill3", k1.endpoint())).isEqualTo("available");
        String metrics = Net.get(admin, "/metrics").body();
        assertThat(metrics).containsPattern("junction_upstream_endpoint_ejections_total\\{endpoint=\"" + k3.endpoint().replace(".", "\\.")
                + "\",upstream=\"kill3\"} 1\\.0");
    }

    @Test
    void serverErrorsEjectAnEndpointThatReturnsOnlyAfterItsBackOffAndAPassingCheck() throws Exception {
        e1.status(500).healthStatus(503);
        int fivexx = 0;
        for (int i = 0; i < 20 && fivexx < 3; i++) {
            if (get("errors", "/x").statusCode() == 500) {
                fivexx++;
            }
        }
        assertThat(fivexx).isEqualTo(3);
        assertThat(state("err2", e1.endpoint())).isEqualTo("ejected");
        int before = e1.requests();
        for (int i = 0; i < 10; i++) {
            assertThat(get("errors", "/x").statusCode()).isEqualTo(200);
        }
        assertThat(e1.requests()).as("ejected: no traffic").isEqualTo(before);
        Thread.sleep(1500); // the back-off (1s) is over, but the checks still fail
        assertThat(state("err2", e1.endpoint())).isEqualTo("ejected");
        assertThat(upstreams()).contains("\"waitsForHealthCheck\" : true");
        e1.status(200).healthStatus(200);
        waitUntil("e1 is back", 10_000, () -> state("err2", e1.endpoint()).equals("available"));
        for (int i = 0; i < 10; i++) {
            assertThat(get("errors", "/x").statusCode()).isEqualTo(200);
        }
        assertThat(e1.requests()).as("back in rotation").isGreaterThanOrEqualTo(before + 4);
    }

    @Test
    void theCircuitBreakerAnswers503AtOnceBeyondMaxRequests() throws Exception {
        s1.delayMillis(5000);
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports.get("overflow") + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        waitUntil("the first request reached the backend", 3000, () -> s1.requests() >= 1);
        long started = System.nanoTime();
        HttpResponse<String> second = get("overflow", "/second");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("x-junction-error")).contains("upstream-overflow");
        // refused while the first still holds the only slot (its backend answers after 5 s), not queued behind it
        assertThat(first).as("the first request, when the second was refused").isNotDone();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once, not queued").isLessThan(Duration.ofMillis(4000));
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(Net.get(admin, "/metrics").body()).contains(
                "junction_upstream_limits_overflow_total{resource=\"request\",upstream=\"slow1\"} 1.0");
        assertThat(get("overflow", "/third").statusCode()).as("slot given back").isEqualTo(200);
    }

    @Test
    void belowThePanicThresholdAllEndpointsServeAndWithoutItTheClientGets503() throws Exception {
        p1.healthStatus(503);
        p2.healthStatus(503);
        try {
            waitUntil("both unhealthy", 3000, () -> state("panic2", p1.endpoint()).equals("unhealthy")
                    && state("panic2", p2.endpoint()).equals("unhealthy") && state("nopanic2", p2.endpoint()).equals("unhealthy")
                    && state("nopanic2", p1.endpoint()).equals("unhealthy"));
            for (int i = 0; i < 4; i++) {
                assertThat(get("panic", "/x").statusCode()).as("panic: all endpoints used").isEqualTo(200);
                HttpResponse<String> refused = get("nopanic", "/x");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("x-junction-error")).contains("no-healthy-endpoint");
            }
            assertThat(Net.get(admin, "/metrics").body()).containsPattern("junction_upstream_panic_total\\{upstream=\"panic2\"} [4-9]");
        } finally {
            p1.healthStatus(200);
            p2.healthStatus(200);
        }
    }

    @Test
    void configuredStatusesAreRetriedOnAnotherEndpointForIdempotentMethodsOnly() throws Exception {
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get("status", "/r" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("r2");
        }
        assertThat(r1.requests()).as("r1 was tried and its 503 retried").isGreaterThanOrEqualTo(4);
        int posts503 = 0;
        for (int i = 0; i < 4; i++) {
            if (send("status", "/p", "x").statusCode() == 503) {
                posts503++;
            }
        }
        assertThat(posts503).as("POST is not retried by default").isGreaterThanOrEqualTo(1);
    }

    @Test
    void aBufferedBodyIsRetriedWholeAfterAResetAndAStreamedOneIsNot() throws Exception {
        String body = "payload-".repeat(1000);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = send("buffered", "/buffered/" + i, body);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok\n" + body);
        }
        assertThat(closer.accepted()).as("the closer was tried").isGreaterThanOrEqualTo(2);
        int streamed502 = 0;
        for (int i = 0; i < 4; i++) {
            if (send("buffered", "/streamed/" + i, body).statusCode() == 502) {
                streamed502++;
            }
        }
        assertThat(streamed502).as("a streamed body cannot be sent again").isGreaterThanOrEqualTo(1);
        HttpResponse<String> tooLarge = send("buffered", "/buffered/big", "x".repeat(70_000));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("x-junction-error")).contains("request-body-too-large");
    }

    @Test
    void anAffinityCookieKeepsAClientOnItsEndpointUntilThatEndpointFails() throws Exception {
        HttpResponse<String> first = get("affinity", "/a");
        String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).matches("srv=[0-9a-f]{16}; Path=/; HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String home = first.headers().firstValue("x-backend").orElseThrow();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> again = get("affinity", "/a", "Cookie", "other=1; " + cookie);
            assertThat(again.headers().firstValue("x-backend")).contains(home);
            assertThat(again.headers().firstValue("set-cookie")).as("cookie already right").isEmpty();
        }
        FlakyBackend homeBackend = home.equals("f1") ? f1 : home.equals("f2") ? f2 : f3;
        homeBackend.stop();
        try {
            HttpResponse<String> moved = get("affinity", "/a", "Cookie", cookie);
            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(moved.headers().firstValue("x-backend")).isPresent().get().isNotEqualTo(home);
            assertThat(moved.headers().firstValue("set-cookie")).isPresent().get().asString().startsWith("srv=").isNotEqualTo(setCookie);
        } finally {
            homeBackend.start();
        }
    }

    @Test
    void aRecoveredEndpointRampsUpOverTheSlowStartWindow() throws Exception {
        String ejections = "junction_upstream_endpoint_ejections_total{endpoint=\"" + w1.endpoint() + "\",upstream=\"ramp2\"}";
        double ejectedBefore = metricOrZero(ejections);
        w1.status(500); // one server error ejects it for 500ms; it comes back ramping
        waitUntil("w1 ejected", 3000, () -> get("ramp", "/r").statusCode() == 500);
        w1.status(200);
        // The ejection lasts 500 ms only, maybe less than reading /upstreams takes here: its count says it happened.
        waitUntil("w1's ejection counted", 10_000, () -> metricOrZero(ejections) > ejectedBefore);
        assertThat(metricOrZero(ejections)).as("ejections of w1").isEqualTo(ejectedBefore + 1);
        waitUntil("w1 back", 10_000, () -> state("ramp2", w1.endpoint()).equals("available"));
        int shareAtRecovery = rampShare(w1.endpoint());
        long shareReadAt = System.nanoTime();
        assertThat(shareAtRecovery).as("just recovered").isLessThan(30);
        int before = w1.requests();
        for (int i = 0; i < 100; i++) {
            assertThat(get("ramp", "/r").statusCode()).isEqualTo(200);
        }
        int early = w1.requests() - before;
        assertThat(early).as("while ramping: well under its even half of 100").isLessThan(35);
        // At least 1 s between the two reads, 5 % of the 20 s window: the rounded percentage must have moved.
        long sinceFirstRead = Duration.ofNanos(System.nanoTime() - shareReadAt).toMillis();
        if (sinceFirstRead < 1000) {
            Thread.sleep(1000 - sinceFirstRead);
        }
        assertThat(rampShare(w1.endpoint())).as("the share grows with time").isGreaterThan(shareAtRecovery);
        assertThat(rampShare(w2.endpoint())).as("w2 never left").isEqualTo(100);
    }

    /** The value of one sample on /metrics, by its name and labels as printed; 0 when it is not there yet. */
    private double metricOrZero(String sample) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(sample) + " (\\S+)$",
                java.util.regex.Pattern.MULTILINE).matcher(Net.get(admin, "/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private int rampShare(String id) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\" : \"" + java.util.regex.Pattern.quote(id)
                + "\"[^}]*\"slowStartSharePercent\" : (\\d+)").matcher(upstreams());
        assertThat(m.find()).as("slowStartSharePercent of " + id).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void aTryThatExceedsItsPerTryTimeoutIsRetriedOnAnotherEndpoint() throws Exception {
        for (int i = 0; i < 4; i++) {
            long started = System.nanoTime();
            HttpResponse<String> r = get("pertry", "/t" + i);
            assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(200);
            assertThat(r.body()).startsWith("t2");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the slow endpoint's 3s").isLessThan(Duration.ofMillis(2500));
        }
        assertThat(t1.requests()).as("the slow endpoint was tried").isGreaterThanOrEqualTo(1);
        assertThat(Net.get(admin, "/metrics").body()).containsPattern(
                "junction_upstream_endpoint_requests_total\\{endpoint=\"" + t1.endpoint().replace(".", "\\.") + "\",outcome=\"timeout\",upstream=\"slowfast\"} [1-9]");
    }

    @Test
    void tcpConnectionsBeyondTheUpstreamsMaxConnectionsAreClosedAtOnce() throws Exception {
        try (Socket first = Net.connect(ports.get("tcpcap"))) {
            first.getOutputStream().write("GET /one HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            assertThat(Net.readHead(first.getInputStream())).startsWith("HTTP/1.1 200");
            try (Socket second = Net.connect(ports.get("tcpcap"))) {
                second.setSoTimeout(5000);
                assertThat(second.getInputStream().read()).as("closed without a backend").isEqualTo(-1);
            }
        }
        assertThat(Net.get(admin, "/metrics").body()).contains(
                "junction_upstream_limits_overflow_total{resource=\"connection\",upstream=\"tcp1\"} 1.0");
        waitUntil("the slot is given back", 3000, () -> {
            try (Socket third = Net.connect(ports.get("tcpcap"))) {
                third.setSoTimeout(5000);
                third.getOutputStream().write("GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
                return Net.readAll(third.getInputStream()).startsWith("HTTP/1.1 200");
            }
        });
    }

    /** Accepts connections, reads a little of the request and closes: a reset before any response. */
    static final class ClosingBackend implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getByName(Net.LOOPBACK));
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread thread;

        ClosingBackend() throws IOException {
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet();
                        InputStream in = s.getInputStream();
                        in.read(new byte[512]);
                        s.setSoLinger(true, 0);
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "closing-backend");
            thread.setDaemon(true);
            thread.start();
        }

        String endpoint() {
            return Net.LOOPBACK + ":" + server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
