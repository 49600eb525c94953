package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code dns} endpoint discovery through the real distribution: a test DNS server on loopback
 * whose answers change while Junction runs, and HTTP backends on the loopback aliases 127.0.0.1,
 * 127.0.0.2 and 127.0.0.3 that share one port (a DNS endpoint set has one port for all addresses;
 * Linux routes all of 127.0.0.0/8 to lo, so the aliases need no set-up).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class DiscoveryIT {

    private static final String NAME = "backend.test";
    private static final String MIXED = "mixed.test";
    private static final Duration CHANGE = Duration.ofSeconds(15);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Path work;
    private TestDnsServer dns;
    private int port;
    private Backend a;
    private Backend b;
    private HttpBackend c;
    private JunctionProcess junction;
    private int front;
    private int mixed;
    private int admin;

    @BeforeAll
    void start() throws Exception {
        try (ServerSocket alias = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            alias.getLocalPort(); // bound: the alias works
        } catch (BindException e) {
            Assumptions.abort("the loopback alias 127.0.0.2 is not usable here (" + e.getMessage() + "); Linux has it");
        }
        work = Files.createTempDirectory("discovery-it");
        dns = closing(new TestDnsServer());
        // One port on 127.0.0.1 and 127.0.0.2: retry with another if the second address has it taken.
        for (int attempt = 0; a == null; attempt++) {
            int candidate = Net.freePort();
            Backend first = new Backend("a", "127.0.0.1", candidate);
            try {
                b = new Backend("b", "127.0.0.2", candidate);
                a = first;
                port = candidate;
            } catch (BindException e) {
                first.close();
                if (attempt == 10) {
                    throw e;
                }
            }
        }
        closing(a);
        closing(b);
        c = closing(new HttpBackend("c"));
        dns.answer(NAME, "127.0.0.1");
        dns.answer(MIXED, "127.0.0.2");
        front = Net.freePort();
        mixed = Net.freePort();
        admin = Net.freePort();
        String discovery = "\"type\": \"dns\", \"port\": %d, \"interval\": \"1s\", \"timeout\": \"300ms\", \"nameservers\": [ \"%s\" ]"
                .formatted(port, dns.nameserver());
        junction = closing(JunctionProcess.startReady(work, "-c", Configs.write(work, "discovery.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "front", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "discovered" },
                    { "name": "mixed", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "mixed" } ],
                  "upstreams": [
                    { "name": "discovered", "slowStart": "5s", "discovery": { "name": "%s", %s } },
                    { "name": "mixed", "endpoints": [ "%s" ],
                      "healthCheck": { "type": "http", "path": "/health", "interval": "300ms", "timeout": "250ms" },
                      "discovery": { "name": "%s", %s } } ] }
                """.formatted(admin, front, mixed, NAME, discovery, c.endpoint(), MIXED, discovery)).toString()));
    }

    @AfterAll
    void stop() throws Exception {
        // Junction first (it holds connections to the backends), then the rest in reverse order.
        List<AutoCloseable> order = new ArrayList<>(closeables);
        order.remove(junction);
        java.util.Collections.reverse(order);
        if (junction != null) {
            order.add(0, junction);
        }
        Exception failure = null;
        for (AutoCloseable closeable : order) {
            try {
                closeable.close();
            } catch (Exception e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Test
    void endpointsFollowTheDnsAnswersAndTheLastSetIsKeptWhenDnsFails() throws Exception {
        String idA = NAME + ":" + port + "/127.0.0.1";
        String idB = NAME + ":" + port + "/127.0.0.2";

        // 1. DNS answers 127.0.0.1 only: one endpoint, every request reaches a.
        awaitIds("discovered", Set.of(idA));
        JsonNode first = endpoint("discovered", idA);
        assertThat(first.get("address").asText()).isEqualTo("127.0.0.1:" + port);
        assertThat(first.get("state").asText()).isEqualTo("available");
        assertThat(first.get("slowStartSharePercent").asInt()).as("the first set does not ramp").isEqualTo(100);
        assertThat(backends(front, 20)).containsOnly("a");

        // 2. DNS answers both: b joins within an interval or two, ramping (slow start) while a keeps its full share.
        dns.answer(NAME, "127.0.0.1", "127.0.0.2");
        awaitIds("discovered", Set.of(idA, idB));
        assertThat(endpoint("discovered", idB).get("slowStartSharePercent").asInt()).as("a discovered endpoint ramps")
                .isLessThan(100);
        assertThat(endpoint("discovered", idA).get("slowStartSharePercent").asInt()).isEqualTo(100);
        awaitBackends(front, Set.of("a", "b"));
        await("b's slow start to end", () -> endpoint("discovered", idB).get("slowStartSharePercent").asInt() == 100);
        List<String> split = backends(front, 20);
        assertThat(split).containsOnly("a", "b");
        assertThat(split.stream().filter("a"::equals).count()).as("round-robin over both once ramped: " + split).isEqualTo(10);

        // 3. DNS answers 127.0.0.2 only: a leaves at once, every request reaches b.
        dns.answer(NAME, "127.0.0.2");
        awaitIds("discovered", Set.of(idB));
        int aBefore = a.requests();
        assertThat(backends(front, 20)).containsOnly("b");
        assertThat(a.requests()).as("requests to a dropped endpoint").isEqualTo(aBefore);

        // 4. DNS goes silent: lookups time out, the last set stays and requests still succeed.
        dns.mode(NAME, TestDnsServer.Mode.SILENT);
        awaitFailedLookups(NAME);
        assertThat(ids("discovered")).containsExactly(idB);
        assertThat(backends(front, 20)).containsOnly("b");
        junction.awaitOutput("dns discovery of " + NAME + ": lookup failed, keeping the last 1 endpoints", CHANGE);

        // 5. NXDOMAIN is no different: the last set stays.
        dns.mode(NAME, TestDnsServer.Mode.NXDOMAIN);
        awaitFailedLookups(NAME);
        assertThat(ids("discovered")).containsExactly(idB);
        assertThat(backends(front, 20)).containsOnly("b");

        // 6. DNS answers again (127.0.0.1): the set follows.
        dns.answer(NAME, "127.0.0.1");
        awaitIds("discovered", Set.of(idA));
        assertThat(backends(front, 20)).containsOnly("a");
        junction.awaitOutput("dns discovery of " + NAME + " resolves again", CHANGE);
    }

    @Test
    void discoveredEndpointsJoinTheStaticOnesAndWaitForTheirFirstPassingHealthCheck() throws Exception {
        String staticC = "127.0.0.1:" + c.port();
        String idB = MIXED + ":" + port + "/127.0.0.2";
        String idD = MIXED + ":" + port + "/127.0.0.3";

        // The static endpoint and the discovered 127.0.0.2 share the traffic.
        await("mixed to list the static endpoint and " + idB + ", both available", () -> {
            Map<String, JsonNode> byAddress = byAddress("mixed");
            return byAddress.keySet().equals(Set.of(staticC, "127.0.0.2:" + port))
                    && byAddress.values().stream().allMatch(e -> e.get("state").asText().equals("available"));
        });
        assertThat(ids("mixed")).contains(idB);
        awaitBackends(mixed, Set.of("b", "c"));

        // 127.0.0.3 joins the answer but nothing listens there: listed, kept out (unhealthy) from the start.
        dns.answer(MIXED, "127.0.0.2", "127.0.0.3");
        awaitIds("mixed", Set.of(staticC, idB, idD));
        assertThat(endpoint("mixed", idD).get("healthy").asBoolean()).as("a discovered endpoint before its first check")
                .isFalse();
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos(); // several check intervals
        while (System.nanoTime() < until) {
            assertThat(endpoint("mixed", idD).get("state").asText()).isEqualTo("unhealthy");
            assertThat(backends(mixed, 4)).isSubsetOf("b", "c");
        }
        assertThat(endpoint("mixed", idD).path("lastCheck").asText()).startsWith("fail:");

        // A backend comes up on 127.0.0.3: its first passing check lets it in.
        Backend d = closing(new Backend("d", "127.0.0.3", port));
        await(idD + " to turn healthy", () -> endpoint("mixed", idD).get("state").asText().equals("available"));
        awaitBackends(mixed, Set.of("b", "c", "d"));

        // DNS drops 127.0.0.2: it leaves at once, the static endpoint stays.
        dns.answer(MIXED, "127.0.0.3");
        awaitIds("mixed", Set.of(staticC, idD));
        int bBefore = b.requests();
        List<String> after = backends(mixed, 20);
        assertThat(after).containsOnly("c", "d");
        assertThat(b.requests()).isEqualTo(bBefore);
        assertThat(d.requests()).isPositive();
    }

    @Test
    void aBadDiscoveryFieldFailsValidateAndStartupNamingItsPath() throws Exception {
        Path dir = Files.createTempDirectory(work, "bad");
        int listen = Net.freePort();
        Path bad = Configs.write(dir, "bad.json", """
                { "pipelines": [ { "name": "front", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "web" } ],
                  "upstreams": [
                    { "name": "web", "discovery": { "type": "dns", "name": "backend.test", "port": 0, "nameservers": [ "%s" ] } },
                    { "name": "other", "discovery": { "type": "consul", "name": "backend.test" } },
                    { "name": "third", "discovery": { "type": "dns", "name": "backend.test", "port": 80, "colour": "red" } },
                    { "name": "fourth", "discovery": { "type": "dns", "name": "backend.test", "port": 80, "nameservers": [ "ns.test" ] } },
                    { "name": "fifth", "endpoints": [] } ] }
                """.formatted(listen, dns.nameserver()));
        JunctionProcess.Result validate = JunctionProcess.run(dir, "validate", "-c", bad.toString());
        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(1);
        assertThat(validate.stderr())
                .contains(bad + ": 5 errors")
                .contains("upstreams[0].discovery.port: expected 1 to 65535, got 0")
                .contains("upstreams[1].discovery.type: unknown discovery type 'consul'; the discovery types loaded are [dns]")
                .contains("upstreams[2].discovery.colour: unknown field; expected one of [interval, ipVersions, name, nameservers, port, timeout, weight]")
                .contains("upstreams[3].discovery.nameservers[0]: \"ns.test\" is not an IP address")
                .contains("upstreams[4].endpoints: needs at least one endpoint, e.g. [\"127.0.0.1:8081\"], or a \"discovery\"");

        Path portZero = Configs.write(dir, "port-zero.json", """
                { "pipelines": [ { "name": "front", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "web" } ],
                  "upstreams": [
                    { "name": "web", "discovery": { "type": "dns", "name": "backend.test", "port": 0, "nameservers": [ "%s" ] } } ] }
                """.formatted(listen, dns.nameserver()));
        JunctionProcess.Result startup = JunctionProcess.run(dir, "-c", portZero.toString());
        assertThat(startup.exitCode()).as(startup.toString()).isEqualTo(1);
        assertThat(startup.stderr()).contains("upstreams[0].discovery.port: expected 1 to 65535, got 0");
        assertThat(startup.stdout()).doesNotContain("Junction ready");
    }

    // --- helpers

    /** One GET through {@code pipelinePort} per request; each must succeed; the X-Backend of each. */
    private List<String> backends(int pipelinePort, int requests) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipelinePort + "/echo/" + i))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("request %d: %s", i, response.body()).isEqualTo(200);
            names.add(response.headers().firstValue("x-backend").orElseThrow());
        }
        return names;
    }

    /** Sends requests until every one of {@code expected} has answered one (and no other backend did). */
    private void awaitBackends(int pipelinePort, Set<String> expected) throws Exception {
        Set<String> seen = new TreeSet<>();
        long deadline = System.nanoTime() + CHANGE.toNanos();
        while (!seen.containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("requests reached only " + seen + " within " + CHANGE + ", expected " + expected
                        + "\n" + upstreams() + "\n" + junction.output());
            }
            List<String> names = backends(pipelinePort, 4);
            assertThat(names).isSubsetOf(expected);
            seen.addAll(names);
            JunctionProcess.sleep(20);
        }
    }

    /** Waits until the failing lookups of {@code name} have been asked at least twice more. */
    private void awaitFailedLookups(String name) {
        int before = dns.aQueries(name);
        await("two more lookups of " + name, () -> dns.aQueries(name) >= before + 2);
    }

    private void awaitIds(String upstream, Set<String> ids) {
        await("upstream " + upstream + " to list " + ids, () -> {
            Set<String> now = new TreeSet<>();
            for (JsonNode e : endpoints(upstream)) {
                now.add(e.get("id").asText());
            }
            return now.equals(new TreeSet<>(ids));
        });
    }

    private List<String> ids(String upstream) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : endpoints(upstream)) {
            ids.add(e.get("id").asText());
        }
        return ids;
    }

    private JsonNode endpoint(String upstream, String id) throws Exception {
        for (JsonNode e : endpoints(upstream)) {
            if (e.get("id").asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no endpoint " + id + " in upstream " + upstream + ": " + upstreams());
    }

    private Map<String, JsonNode> byAddress(String upstream) throws Exception {
        Map<String, JsonNode> map = new TreeMap<>();
        for (JsonNode e : endpoints(upstream)) {
            map.put(e.get("address").asText(), e);
        }
        return map;
    }

    private List<JsonNode> endpoints(String upstream) throws Exception {
        for (JsonNode u : json.readTree(upstreams()).get("upstreams")) {
            if (u.get("name").asText().equals(upstream)) {
                List<JsonNode> list = new ArrayList<>();
                u.get("endpoints").forEach(list::add);
                return list;
            }
        }
        throw new AssertionError("no upstream " + upstream + ": " + upstreams());
    }

    private String upstreams() throws Exception {
        HttpResponse<String> response = Net.get(admin, "/upstreams");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} every 50 ms for at most {@link #CHANGE}. */
    private void await(String what, Condition condition) {
        long deadline = System.nanoTime() + CHANGE.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            JunctionProcess.sleep(50);
        }
        String state;
        try {
            state = upstreams();
        } catch (Exception e) {
            state = "(/upstreams failed: " + e + ")";
        }
        AssertionError error = new AssertionError("waited " + CHANGE + " for " + what + "\n/upstreams: " + state
                + "\n--- junction output\n" + junction.output());
        if (last != null) {
            error.addSuppressed(last);
        }
        throw error;
    }

    /** An HTTP backend on a given loopback address and port, naming itself in X-Backend; counts requests. */
    private static final class Backend implements AutoCloseable {

        private final String name;
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final AtomicInteger requests = new AtomicInteger();

        Backend(String name, String address, int port) throws IOException {
            this.name = name;
            try {
                this.server = HttpServer.create(new InetSocketAddress(address, port), 100);
            } catch (IOException e) {
                executor.shutdownNow();
                throw e;
            }
            server.createContext("/", this::handle);
            server.setExecutor(executor);
            server.start();
        }

        int requests() {
            return requests.get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/health")) {
                    requests.incrementAndGet();
                }
                exchange.getRequestBody().readAllBytes();
                byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Backend", name);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
