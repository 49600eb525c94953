package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config reload through the real distribution: SIGHUP and POST /reload re-read the file; a valid
 * config becomes a new generation while the old one drains (HTTP/2: GOAWAY), an invalid one
 * changes nothing, and listening sockets stay open across the swap.
 */
@Timeout(180)
class ReloadIT {

    @TempDir
    Path work;

    private HttpBackend one;
    private HttpBackend two;
    private HttpBackend three;
    private int admin;
    private Path file;

    @BeforeEach
    void backends() throws IOException {
        one = new HttpBackend("one");
        two = new HttpBackend("two");
        three = new HttpBackend("three");
        admin = Net.freePort();
        file = work.resolve("junction.json");
    }

    @AfterEach
    void stopBackends() {
        one.close();
        two.close();
        three.close();
    }

    /** A config with the admin endpoint, the given pipelines and upstreams (JSON array bodies). */
    private void write(String pipelines, String upstreams) throws IOException {
        Configs.write(work, "junction.json", """
                { "admin": { "listen": "127.0.0.1:%d" }, "drainTimeout": "10s",
                  "pipelines": [ %s ],
                  "upstreams": [ %s ] }
                """.formatted(admin, pipelines, upstreams));
    }

    private static String http(String name, int port, String upstream) {
        return """
                { "name": "%s", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "%s" }"""
                .formatted(name, port, upstream);
    }

    private static String upstream(String name, HttpBackend backend) {
        return "{ \"name\": \"%s\", \"endpoints\": [ \"%s\" ] }".formatted(name, backend.endpoint());
    }

    private JunctionProcess start() throws IOException {
        return JunctionProcess.startReady(work, "run", "-c", file.toString());
    }

    @Test
    void reloadSwitchesUpstreamWithoutFailingAKeepAliveRequest() throws Exception {
        int front = Net.freePort();
        write(http("web", front, "u"), upstream("u", one));
        try (JunctionProcess junction = start()) {
            Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread loop = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                while (!stop.get()) {
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + front + "/echo")).timeout(Duration.ofSeconds(10)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                        answeredBy.computeIfAbsent(response.headers().firstValue("x-backend").orElse("?"),
                                k -> new AtomicInteger()).incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        failures.add(e.toString());
                    }
                }
            });
            loop.start();
            try {
                await("5 requests reach one", () -> answered(answeredBy, "one") >= 5);

                write(http("web", front, "u"), upstream("u", two));
                junction.signal("HUP");
                await("5 requests reach two after SIGHUP", () -> answered(answeredBy, "two") >= 5);

                write(http("web", front, "u"), upstream("u", three));
                HttpResponse<String> reloaded = Net.post(admin, "/reload");
                assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
                assertThat(reloaded.body()).startsWith("reloaded ").contains("1 pipelines, 1 upstreams");
                await("5 requests reach three after POST /reload", () -> answered(answeredBy, "three") >= 5);
            } finally {
                stop.set(true);
                loop.join(20_000);
            }
            assertThat(failures).as("requests that failed across two reloads").isEmpty();
            assertThat(answeredBy.keySet()).containsOnly("one", "two", "three");
            assertThat(Net.httpOnNewConnection(front, "/echo")).containsIgnoringCase("X-Backend: three");

            assertThat(Net.get(admin, "/config").body()).contains(three.endpoint()).doesNotContain(one.endpoint());
            assertThat(Net.get(admin, "/reload").statusCode()).isEqualTo(405);
            String metrics = Net.get(admin, "/metrics").body();
            assertThat(metric(metrics, "junction_config_reloads_total{result=\"success\"}")).isEqualTo(2.0);
            assertThat(metric(metrics, "junction_config_reloads_total{result=\"failure\"}")).isEqualTo(0.0);

            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(junction.output()).contains("previous config retired").doesNotContain("LEAK");
        }
    }

    @Test
    void http2ClientGetsGoawayWhileItsStreamCompletesThenMovesToTheNewConfig() throws Exception {
        int front = Net.freePort();
        write(http("web", front, "u"), upstream("u", one));
        try (JunctionProcess junction = start(); RawHttp2 client = new RawHttp2(front)) {
            client.headers(1, RawHttp2.get("/sleep?ms=1500"), true).flush();
            await("the slow request reaches one", () -> one.requests() == 1);

            write(http("web", front, "u"), upstream("u", two));
            junction.signal("HUP");

            RawHttp2.Frame goaway = null;
            RawHttp2.Frame status = null;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (RawHttp2.Frame frame; (frame = client.read()) != null; ) {
                if (frame.type() == RawHttp2.GOAWAY) {
                    goaway = frame;
                } else if (frame.type() == RawHttp2.HEADERS && frame.stream() == 1) {
                    status = frame;
                } else if (frame.type() == RawHttp2.DATA && frame.stream() == 1) {
                    body.writeBytes(frame.payload());
                }
                if (frame.stream() == 1 && (frame.flags() & RawHttp2.END_STREAM) != 0) {
                    break;
                }
            }
            assertThat(goaway).as("GOAWAY before the in-flight stream ends").isNotNull();
            assertThat(goaway.errorCode()).isEqualTo(RawHttp2.NO_ERROR);
            assertThat(status).isNotNull();
            assertThat(status.payload()[0] & 0xFF).as(":status 200, indexed").isEqualTo(0x88);
            assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("one\n");
            assertThat(client.closedByServer()).as("the old connection closes once its stream is done").isTrue();

            try (RawHttp2 next = new RawHttp2(front)) {
                next.headers(1, RawHttp2.get("/echo/next"), true).flush();
                RawHttp2.Frame data = next.await(RawHttp2.DATA, 1);
                assertThat(data).isNotNull();
                assertThat(new String(data.payload(), StandardCharsets.UTF_8)).startsWith("two\n");
            }
            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void invalidConfigChangesNothing() throws Exception {
        int front = Net.freePort();
        write(http("web", front, "u"), upstream("u", one));
        try (JunctionProcess junction = start(); ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Net.LOOPBACK))) {
            Configs.write(work, "junction.json", "{ \"pipelines\": [ ");
            junction.signal("HUP");
            junction.awaitOutput("reload failed", Duration.ofSeconds(20));
            assertThat(junction.output()).contains("not valid JSON");
            assertThat(Net.httpOnNewConnection(front, "/echo")).containsIgnoringCase("X-Backend: one");
            assertThat(metric(Net.get(admin, "/metrics").body(), "junction_config_reloads_total{result=\"failure\"}")).isEqualTo(1.0);

            // A bad value: the port is out of range. The answer and the log name the JSON path.
            write(http("web", 99999, "u"), upstream("u", two));
            HttpResponse<String> bad = Net.post(admin, "/reload");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("pipelines[0].listen").contains("99999");
            assertThat(junction.output()).contains("pipelines[0].listen");

            // A port that cannot be bound: the whole config is refused, the pipeline that could bind included.
            int added = Net.freePort();
            write(http("web", front, "u") + ", " + http("added", added, "u") + ", " + http("blocked", taken.getLocalPort(), "u"),
                    upstream("u", two));
            HttpResponse<String> unbindable = Net.post(admin, "/reload");
            assertThat(unbindable.statusCode()).isEqualTo(400);
            assertThat(unbindable.body()).contains("pipelines[2].listen: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("already in use");
            assertThatThrownBy(() -> Net.connect(added).close()).isInstanceOf(ConnectException.class);

            assertThat(Net.httpOnNewConnection(front, "/echo")).containsIgnoringCase("X-Backend: one");
            assertThat(Net.get(admin, "/config").body()).contains(one.endpoint()).doesNotContain(two.endpoint());
            String metrics = Net.get(admin, "/metrics").body();
            assertThat(metric(metrics, "junction_config_reloads_total{result=\"failure\"}")).isEqualTo(3.0);
            assertThat(metric(metrics, "junction_config_reloads_total{result=\"success\"}")).isEqualTo(0.0);
            // The gauges the failed reload took out for its own are back, reading the config in force.
            assertThat(metric(metrics, "junction_upstream_endpoint_healthy{endpoint=\"" + one.endpoint() + "\",upstream=\"u\"}"))
                    .isEqualTo(1.0);
            assertThat(metrics).doesNotContain("junction_upstream_endpoint_healthy{endpoint=\"" + two.endpoint());
            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void pipelinesComeAndGoWhileAnUnchangedAddressNeverRefuses() throws Exception {
        int kept = Net.freePort();
        int removed = Net.freePort();
        int added = Net.freePort();
        write(http("kept", kept, "u") + ", " + http("removed", removed, "u"), upstream("u", one) + ", " + upstream("watched", three));
        try (JunctionProcess junction = start()) {
            String healthy = "junction_upstream_endpoint_healthy{endpoint=\"" + three.endpoint() + "\",upstream=\"watched\"}";
            assertThat(metric(Net.get(admin, "/metrics").body(), healthy)).isEqualTo(1.0);

            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicInteger attempts = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread loop = new Thread(() -> {
                while (!stop.get()) {
                    attempts.incrementAndGet();
                    try {
                        String response = Net.httpOnNewConnection(kept, "/echo");
                        if (!response.startsWith("HTTP/1.1 200")) {
                            failures.add(response);
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
            });
            loop.start();
            int atReload;
            try {
                await("connections to the kept address before the reload", () -> attempts.get() >= 5);
                // The watched upstream now fails its health check: its gauge must follow the new generation.
                write(http("kept", kept, "u") + ", " + http("added", added, "u"), upstream("u", two) + ", "
                        + "{ \"name\": \"watched\", \"endpoints\": [ \"%s\" ], \"healthCheck\": { \"type\": \"http\", "
                                .formatted(three.endpoint())
                        + "\"path\": \"/status?code=503\", \"interval\": \"100ms\", \"timeout\": \"100ms\", \"unhealthyThreshold\": 1 } }");
                HttpResponse<String> reloaded = Net.post(admin, "/reload");
                assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
                atReload = attempts.get();
                // while the old generation lets go of its listeners and the new one serves
                await("20 more connections to the kept address after the reload", () -> attempts.get() >= atReload + 20);
            } finally {
                stop.set(true);
                loop.join(20_000);
            }
            assertThat(failures).as("connections to the kept address during the reload").isEmpty();
            assertThat(attempts.get()).isGreaterThanOrEqualTo(atReload + 20);
            assertThat(Net.httpOnNewConnection(kept, "/echo")).containsIgnoringCase("X-Backend: two");
            assertThat(Net.httpOnNewConnection(added, "/echo")).startsWith("HTTP/1.1 200").containsIgnoringCase("X-Backend: two");
            assertThatThrownBy(() -> Net.connect(removed).close()).isInstanceOf(ConnectException.class);
            await("the watched endpoint's gauge reports the new generation",
                    () -> metric(get("/metrics"), healthy) == 0.0);
            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    private static int answered(Map<String, AtomicInteger> answeredBy, String backend) {
        AtomicInteger count = answeredBy.get(backend);
        return count == null ? 0 : count.get();
    }

    @Test
    void sigtermWhileAReplacedConfigStillDrainsWaitsForItsConnectionsAndExitsZero() throws Exception {
        int front = Net.freePort();
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK))) {
            String tcp = "{ \"name\": \"raw\", \"listen\": \"127.0.0.1:%d\", \"protocol\": { \"type\": \"tcp\" }, \"upstream\": \"slow\" }"
                    .formatted(front);
            String slow = "{ \"name\": \"slow\", \"endpoints\": [ \"127.0.0.1:%d\" ] }".formatted(backend.getLocalPort());
            write(tcp, slow);
            try (JunctionProcess junction = start()) {
                try (java.net.Socket client = Net.connect(front)) {
                    client.getOutputStream().write('?');
                    client.getOutputStream().flush();
                    try (java.net.Socket held = backend.accept()) {
                        assertThat(held.getInputStream().read()).isEqualTo('?');

                        write(tcp, slow + ", " + upstream("unused", two));
                        junction.signal("HUP");
                        junction.awaitOutput("the previous config drains 1 connections", Duration.ofSeconds(20));
                        junction.signalTerm();
                        junction.awaitOutput("draining: no longer accepting; waiting up to 10000 ms for 1 open connections",
                                Duration.ofSeconds(20));
                        assertThatThrownBy(() -> Net.connect(front).close()).isInstanceOf(ConnectException.class);
                        held.getOutputStream().write("late answer\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    assertThat(Net.readAll(client.getInputStream())).isEqualTo("late answer\n");
                }
                assertThat(junction.waitFor(Duration.ofSeconds(30))).isZero();
                assertThat(junction.output()).contains("drained: all connections finished");
            }
        }
    }

    @Test
    void sighupWhileStartingIsHeldAndDoneOnceUpNotFatal() throws Exception {
        int front = Net.freePort();
        write(http("web", front, "u"), upstream("u", one));
        try (JunctionProcess junction = JunctionProcess.start(work, "run", "-c", file.toString())) {
            // the first line of the run command: plugins, config and sockets are still to come
            junction.awaitOutput("starting (Java", Duration.ofSeconds(30));
            write(http("web", front, "u"), upstream("u", two));
            junction.signal("HUP");
            junction.awaitOutput("Junction ready in", Duration.ofSeconds(30));
            junction.awaitOutput("reloaded ", Duration.ofSeconds(20));
            assertThat(junction.isAlive()).isTrue();
            assertThat(metric(get("/metrics"), "junction_config_reloads_total{result=\"success\"}")).isEqualTo(1.0);
            assertThat(Net.httpOnNewConnection(front, "/echo")).containsIgnoringCase("X-Backend: two");
            assertThat(junction.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    private String get(String path) {
        try {
            return Net.get(admin, path).body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The value of one sample in Prometheus text, by its name and labels as printed; fails when absent. */
    private static double metric(String scrape, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("no " + sample + " in /metrics:\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            JunctionProcess.sleep(20);
        }
    }
}
