package io.junction.plugin.healthchecks;

import static io.junction.plugin.healthchecks.ProbeFixtures.LOOPBACK;
import static io.junction.plugin.healthchecks.ProbeFixtures.ascii;
import static io.junction.plugin.healthchecks.ProbeFixtures.endpoint;
import static io.junction.plugin.healthchecks.ProbeFixtures.readRequestHead;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.junction.api.health.HealthCheckResult;
import io.junction.plugin.healthchecks.ProbeFixtures.NioEventLoops;
import io.junction.plugin.healthchecks.ProbeFixtures.RawBackend;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Probes the JDK's HTTP server and hand-rolled backends on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpHealthCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int BIG_BODY = 64 * 1024 * 1024;

    private static EventLoopGroup group;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final CompletableFuture<Long> bigBodyWritten = new CompletableFuture<>();

    @BeforeAll
    static void startEventLoops() {
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stopEventLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " host=" + exchange.getRequestHeaders().getFirst("Host")
                    + " x-probe=" + exchange.getRequestHeaders().getFirst("X-Probe"));
            respond(exchange, 200, "all ok");
        });
        server.createContext("/status/", exchange -> {
            int status = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
            respond(exchange, status, "status " + status);
        });
        server.createContext("/big", exchange -> {
            // Chunked and far larger than the check reads: it must close, not take it all.
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            byte[] marker = ascii("early-marker");
            System.arraycopy(marker, 0, chunk, 100, marker.length);
            long written = 0;
            try (OutputStream body = exchange.getResponseBody()) {
                while (written < BIG_BODY) {
                    body.write(chunk);
                    written += chunk.length;
                    java.util.Arrays.fill(chunk, 100, 100 + marker.length, (byte) 'x');
                }
            } catch (IOException closedByTheProbe) {
                // expected
            } finally {
                bigBodyWritten.complete(written);
            }
        });
        server.start();
    }

    @AfterEach
    void stopBackend() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void status200Passes() throws Exception {
        HealthCheckResult result = probe(config(null, "/", null, null, null, null));

        assertThat(result).isEqualTo(HealthCheckResult.pass("status 200"));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("GET / host=" + endpointId() + " x-probe=null");
    }

    @Test
    void status503Fails() throws Exception {
        assertThat(probe(config(null, "/status/503", null, null, null, null))).isEqualTo(HealthCheckResult.fail("status 503"));
    }

    @Test
    void theDefaultRangeAccepts2xxAnd3xxOnly() throws Exception {
        assertThat(probe(config(null, "/status/204", null, null, null, null)).healthy()).isTrue();
        assertThat(probe(config(null, "/status/302", null, null, null, null)).healthy()).isTrue();
        assertThat(probe(config(null, "/status/404", null, null, null, null))).isEqualTo(HealthCheckResult.fail("status 404"));
    }

    @Test
    void expectedStatusesAndRangesAreHonoured() throws Exception {
        List<String> expected = List.of("200", "418-429");

        assertThat(probe(config(null, "/status/418", null, expected, null, null))).isEqualTo(HealthCheckResult.pass("status 418"));
        assertThat(probe(config(null, "/status/429", null, expected, null, null)).healthy()).isTrue();
        assertThat(probe(config(null, "/status/204", null, expected, null, null))).isEqualTo(HealthCheckResult.fail("status 204"));
    }

    @Test
    void bodyContainsPassesWhenTheTextIsThere() throws Exception {
        assertThat(probe(config(null, "/", null, null, "all ok", null))).isEqualTo(HealthCheckResult.pass("status 200, body has 'all ok'"));
    }

    @Test
    void bodyContainsFailsWhenTheTextIsMissing() throws Exception {
        assertThat(probe(config(null, "/", null, null, "ready", null))).isEqualTo(HealthCheckResult.fail("body lacks 'ready'"));
    }

    @Test
    void headGetsNoBodyAndPasses() throws Exception {
        HealthCheckResult result = probe(config("HEAD", "/health?deep=1", null, null, null, null));

        assertThat(result).isEqualTo(HealthCheckResult.pass("status 200"));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).startsWith("HEAD /health?deep=1 ");
    }

    @Test
    void theBackendSeesTheConfiguredHostAndHeaders() throws Exception {
        HealthCheckResult result = probe(config(null, "/", "health.internal:8443", null, null, Map.of("X-Probe", "junction")));

        assertThat(result.healthy()).isTrue();
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("GET / host=health.internal:8443 x-probe=junction");
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        HttpHealthCheck check = new HttpHealthCheck(config(null, null, null, null, null, null), new NioEventLoops(group));

        HealthCheckResult result = await(check.check(endpoint(ProbeFixtures.deadAddress()), TIMEOUT));

        assertThat(result).isEqualTo(HealthCheckResult.fail("connect refused"));
    }

    @Test
    void aBackendThatNeverAnswersFailsWithinTheTimeoutAndTheProbeConnectionIsClosed() throws Exception {
        CompletableFuture<Integer> afterRequest = new CompletableFuture<>();
        try (RawBackend silent = new RawBackend(socket -> {
            readRequestHead(socket);
            socket.setSoTimeout(10_000);
            afterRequest.complete(socket.getInputStream().read());
        })) {
            HttpHealthCheck check = new HttpHealthCheck(config(null, null, null, null, null, null), new NioEventLoops(group));

            long start = System.nanoTime();
            HealthCheckResult result = await(check.check(endpoint(silent.address()), Duration.ofMillis(300)));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(result).isEqualTo(HealthCheckResult.fail("timed out after 300ms"));
            assertThat(elapsedMs).isBetween(250L, 3_000L);
            assertThat(afterRequest.get(5, TimeUnit.SECONDS)).as("the probe closed its connection").isEqualTo(-1);
        }
    }

    @Test
    void aBackendThatClosesMidResponseFails() throws Exception {
        try (RawBackend cut = new RawBackend(socket -> {
            readRequestHead(socket);
            socket.getOutputStream().write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"));
            socket.getOutputStream().flush();
        })) {
            HttpHealthCheck check = new HttpHealthCheck(config(null, null, null, null, null, null), new NioEventLoops(group));

            HealthCheckResult result = await(check.check(endpoint(cut.address()), TIMEOUT));

            assertThat(result).isEqualTo(HealthCheckResult.fail("connection closed mid-response"));
        }
    }

    @Test
    void aBackendThatClosesWithoutAnsweringFails() throws Exception {
        try (RawBackend rude = new RawBackend(ProbeFixtures::readRequestHead)) {
            HttpHealthCheck check = new HttpHealthCheck(config(null, null, null, null, null, null), new NioEventLoops(group));

            HealthCheckResult result = await(check.check(endpoint(rude.address()), TIMEOUT));

            assertThat(result).isEqualTo(HealthCheckResult.fail("connection closed before a response"));
        }
    }

    @Test
    void aBackendThatAnswersGarbageFails() throws Exception {
        try (RawBackend garbage = new RawBackend(socket -> {
            readRequestHead(socket);
            socket.getOutputStream().write(ascii("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
            socket.getOutputStream().flush();
            socket.getInputStream().read();
        })) {
            HttpHealthCheck check = new HttpHealthCheck(config(null, null, null, null, null, null), new NioEventLoops(group));

            HealthCheckResult result = await(check.check(endpoint(garbage.address()), TIMEOUT));

            assertThat(result.healthy()).isFalse();
            assertThat(result.detail()).startsWith("bad response: ");
        }
    }

    @Test
    void anOversizedBodyIsReadOnlyUpTo64KiB() throws Exception {
        HealthCheckResult result = probe(config(null, "/big", null, null, null, null));

        assertThat(result).isEqualTo(HealthCheckResult.pass("status 200"));
        assertThat(bigBodyWritten.get(10, TimeUnit.SECONDS)).as("the backend could not send it all").isLessThan(BIG_BODY);
    }

    @Test
    void bodyContainsLooksAtTheFirst64KiBOnly() throws Exception {
        assertThat(probe(config(null, "/big", null, null, "early-marker", null)))
                .isEqualTo(HealthCheckResult.pass("status 200, body has 'early-marker'"));
        assertThat(probe(config(null, "/big", null, null, "never-there", null)))
                .isEqualTo(HealthCheckResult.fail("body lacks 'never-there' in its first 64 KiB"));
    }

    @Test
    void theExtensionDescribesTheCheck() {
        HttpHealthCheckExtension extension = new HttpHealthCheckExtension();

        assertThat(extension.type()).isEqualTo("http");
        assertThat(extension.configType()).isEqualTo(HttpHealthCheckConfig.class);
        assertThat(extension.implementation()).isEqualTo(HttpHealthCheck.class);
        assertThat(extension.description()).isNotBlank();
    }

    private HealthCheckResult probe(HttpHealthCheckConfig config) throws Exception {
        HttpHealthCheck check = new HttpHealthCheck(config, new NioEventLoops(group));
        return await(check.check(endpoint(server.getAddress()), TIMEOUT));
    }

    private String endpointId() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    private static HealthCheckResult await(java.util.concurrent.CompletionStage<HealthCheckResult> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static HttpHealthCheckConfig config(String method, String path, String host, List<String> expected, String bodyContains,
            Map<String, String> headers) {
        return new HttpHealthCheckConfig(method, path, host, expected, bodyContains, headers);
    }
}
