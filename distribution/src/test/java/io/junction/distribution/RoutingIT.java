package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code http} route matching and route actions through the real distribution: one Junction, one
 * named {@link HttpBackend} per upstream (every response says, in {@code X-Backend} and on the first
 * line of an echo, which backend answered), the JDK HttpClient and raw sockets for Host headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class RoutingIT {

    private static final String[] NAMES = {"regex", "prefix", "wild", "header", "query", "method", "main",
        "broad", "specific", "actions", "capped", "warm", "shared"};

    private Path work;
    private final java.util.Map<String, HttpBackend> backends = new java.util.LinkedHashMap<>();
    private JunctionProcess junction;
    private int admin;
    private int front;
    private int shadowed;
    private int ordered;
    private int act;
    private int capped;
    private int warm;
    private int paths;
    private int rawPaths;
    private int strictPaths;
    private int sharedA;
    private int sharedB;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        work = java.nio.file.Files.createTempDirectory("routing-it");
        StringBuilder upstreams = new StringBuilder();
        for (String name : NAMES) {
            HttpBackend backend = new HttpBackend(name);
            backends.put(name, backend);
            upstreams.append(upstreams.length() == 0 ? "" : ",\n").append("{ \"name\": \"").append(name)
                    .append("\", \"endpoints\": [ \"").append(backend.endpoint()).append("\" ]")
                    .append(name.equals("capped") ? ", \"circuitBreaker\": { \"maxConnections\": 2 }" : "")
                    .append(name.equals("warm") || name.equals("shared") ? ", \"circuitBreaker\": { \"maxConnections\": 1 }" : "")
                    .append(" }");
        }
        admin = Net.freePort();
        front = Net.freePort();
        shadowed = Net.freePort();
        ordered = Net.freePort();
        act = Net.freePort();
        capped = Net.freePort();
        warm = Net.freePort();
        paths = Net.freePort();
        rawPaths = Net.freePort();
        strictPaths = Net.freePort();
        sharedA = Net.freePort();
        sharedB = Net.freePort();
        junction = JunctionProcess.startReady(work, "-c", Configs.write(work, "routing.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "front", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [
                        { "match": { "pathRegex": "/re/[0-9]+" }, "upstream": "regex" },
                        { "match": { "pathPrefix": "/api" }, "upstream": "prefix" },
                        { "match": { "hosts": [ "*.example.com" ] }, "upstream": "wild" },
                        { "match": { "headers": { "x-env": "canary" } }, "upstream": "header" },
                        { "match": { "query": { "v": "2" } }, "upstream": "query" },
                        { "match": { "methods": [ "DELETE" ] }, "upstream": "method" },
                        { "name": "catch-all", "upstream": "main" } ] },
                    { "name": "shadowed", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [
                        { "match": { "pathPrefix": "/" }, "upstream": "broad" },
                        { "match": { "path": "/specific" }, "upstream": "specific" } ] },
                    { "name": "ordered", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [
                        { "match": { "path": "/specific" }, "upstream": "specific" },
                        { "match": { "pathPrefix": "/" }, "upstream": "broad" } ] },
                    { "name": "act", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [
                        { "match": { "pathPrefix": "/req" }, "upstream": "actions",
                          "action": { "requestHeaders": { "remove": [ "x-drop" ], "set": { "X-Set": "route" },
                                                          "add": { "X-Added": "yes", "X-Tag": "junction" } } } },
                        { "match": { "pathPrefix": "/resp-set" }, "upstream": "actions",
                          "action": { "responseHeaders": { "set": { "X-Backend": "edge" } } } },
                        { "match": { "pathPrefix": "/resp-remove" }, "upstream": "actions",
                          "action": { "responseHeaders": { "remove": [ "x-backend" ] } } },
                        { "match": { "pathPrefix": "/v1" }, "upstream": "actions", "action": { "rewritePathPrefix": "/" } },
                        { "match": { "pathPrefix": "/old-api" }, "upstream": "actions",
                          "action": { "rewritePathPrefix": "/echo/new", "rewriteHost": "internal.svc" } },
                        { "match": { "pathPrefix": "/moved" },
                          "action": { "redirect": { "location": "https://new.example.com/" } } },
                        { "match": { "pathPrefix": "/gone" },
                          "action": { "redirect": { "status": 308, "location": "https://new.example.com/landing", "keepPath": false } } },
                        { "match": { "path": "/fixed" },
                          "action": { "respond": { "status": 418, "headers": { "Content-Type": "application/json" },
                                                   "body": "{\\"tea\\":\\"café\\"}" } } } ] },
                    { "name": "capped", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "poolIdleTimeout": "300ms" }, "upstream": "capped" },
                    { "name": "warm", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "warm" },
                    { "name": "paths", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "routes": %s },
                    { "name": "raw-paths", "listen": "127.0.0.1:%d", "protocol": { "type": "http", "normalizePath": false }, "routes": %9$s },
                    { "name": "strict-paths", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "mergeSlashes": true, "escapedSlashes": "reject" }, "routes": %9$s },
                    { "name": "shared-a", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "shared" },
                    { "name": "shared-b", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "shared" } ],
                  "upstreams": [ %s ] }
                """.formatted(admin, front, shadowed, ordered, act, capped, warm, paths, ADMIN_DENIED, rawPaths, strictPaths,
                sharedA, sharedB, upstreams)).toString());
    }

    /**
     * The routes of the path pipelines: /admin is refused by Junction, and so is a path with parameters (the
     * recipe docs/configuration.md gives for backends that drop them); everything else reaches {@code main}.
     */
    private static final String ADMIN_DENIED = """
            [ { "match": { "pathRegex": ".*;.*" }, "action": { "respond": { "status": 400, "body": "no path parameters" } } },
              { "match": { "pathPrefix": "/admin" }, "action": { "respond": { "status": 403, "body": "denied" } } },
              { "upstream": "main" } ]""";

    @AfterAll
    void stop() throws Exception {
        if (junction != null) {
            junction.close();
        }
        for (HttpBackend backend : backends.values()) {
            backend.close();
        }
    }

    private HttpResponse<String> send(int port, String method, String target, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String target, String... headers) throws Exception {
        return send(port, "GET", target, headers);
    }

    /** Which backend answered a GET on {@code front}, by its X-Backend header (after checking the status). */
    private String backendFor(String target, String... headers) throws Exception {
        HttpResponse<String> response = get(front, target, headers);
        assertThat(response.statusCode()).as(target).isEqualTo(200);
        return response.headers().firstValue("x-backend").orElse("(none)");
    }

    /** Which backend answered a GET /x on {@code front} with this Host header (raw, the JDK client will not set Host). */
    private String backendForHost(String host) throws IOException {
        try (Socket socket = Net.connect(front)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /x HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = Net.readResponse(socket.getInputStream());
            assertThat(response).as("Host " + host).startsWith("HTTP/1.1 200 ");
            String lower = response.toLowerCase(java.util.Locale.ROOT);
            int at = lower.indexOf("\r\nx-backend: ");
            assertThat(at).as("an X-Backend header for Host " + host).isPositive();
            return response.substring(at + 13, response.indexOf('\r', at + 2));
        }
    }

    @Test
    void pathRegexMustMatchTheWholePathToTakeItsOwnUpstream() throws Exception {
        assertThat(backendFor("/re/42")).isEqualTo("regex");
        assertThat(backendFor("/re/42?x=1")).as("the query is not part of the path").isEqualTo("regex");
        assertThat(backendFor("/re/42x")).as("a partial match is no match").isEqualTo("main");
        assertThat(backendFor("/x/re/42")).isEqualTo("main");
        assertThat(backendFor("/re/")).isEqualTo("main");
    }

    @Test
    void anEarlierBroadRouteShadowsALaterSpecificOne() throws Exception {
        int specificBefore = backends.get("specific").requests();
        HttpResponse<String> shadow = get(shadowed, "/specific");
        assertThat(shadow.statusCode()).isEqualTo(200);
        assertThat(shadow.headers().firstValue("x-backend")).as("first match wins, not best match").hasValue("broad");
        assertThat(get(shadowed, "/other").headers().firstValue("x-backend")).hasValue("broad");
        assertThat(backends.get("specific").requests()).as("the shadowed route's upstream never reached").isEqualTo(specificBefore);
        // the same two routes the other way round: the specific one does take /specific, so it was the order
        assertThat(get(ordered, "/specific").headers().firstValue("x-backend")).hasValue("specific");
        assertThat(get(ordered, "/other").headers().firstValue("x-backend")).hasValue("broad");
        assertThat(get(ordered, "/specific/more").headers().firstValue("x-backend")).as("path is exact").hasValue("broad");
    }

    /**
     * Documented (docs/configuration.md, HttpRoutes.prefixMatches): {@code pathPrefix} matches at a
     * segment boundary — "/api" takes "/api", "/api/" and "/api/x" (query excluded), not "/apix" nor "/ap".
     */
    @Test
    void pathPrefixMatchesOnlyAtASegmentBoundary() throws Exception {
        assertThat(backendFor("/api")).isEqualTo("prefix");
        assertThat(backendFor("/api/")).isEqualTo("prefix");
        assertThat(backendFor("/api/x/y")).isEqualTo("prefix");
        assertThat(backendFor("/api?x=1")).isEqualTo("prefix");
        assertThat(backendFor("/apix")).as("not a segment boundary").isEqualTo("main");
        assertThat(backendFor("/api-v2/x")).isEqualTo("main");
        assertThat(backendFor("/ap")).isEqualTo("main");
    }

    @Test
    void aWildcardHostMatchesSubdomainsOnlyNotTheBareDomain() throws Exception {
        assertThat(backendForHost("a.example.com")).isEqualTo("wild");
        assertThat(backendForHost("a.b.example.com")).as("any depth").isEqualTo("wild");
        assertThat(backendForHost("A.Example.COM:8080")).as("case and port ignored").isEqualTo("wild");
        assertThat(backendForHost("example.com")).as("the bare domain").isEqualTo("main");
        assertThat(backendForHost("badexample.com")).as("not a subdomain").isEqualTo("main");
        assertThat(backendForHost("a.example.com.evil.net")).isEqualTo("main");
        // RFC 9112 3.2.2: an absolute-form target's authority is the host, whatever the Host header says
        try (Socket socket = Net.connect(front)) {
            socket.getOutputStream().write("GET http://a.example.com/x HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(Net.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\nx-backend: wild\r\n");
        }
    }

    @Test
    void headerQueryAndMethodMatchesTakeOnlyTheRequestsThatHaveThem() throws Exception {
        assertThat(backendFor("/h", "x-env", "canary")).isEqualTo("header");
        assertThat(backendFor("/h", "X-Env", "canary")).as("header names are case-insensitive").isEqualTo("header");
        assertThat(backendFor("/h")).as("without the header").isEqualTo("main");
        assertThat(backendFor("/h", "x-env", "prod")).as("another value").isEqualTo("main");
        assertThat(backendFor("/h", "x-env", "Canary")).as("values are exact").isEqualTo("main");

        assertThat(backendFor("/q?v=2")).isEqualTo("query");
        assertThat(backendFor("/q?a=1&v=2")).isEqualTo("query");
        assertThat(backendFor("/q?v=%32")).as("the value is decoded").isEqualTo("query");
        assertThat(backendFor("/q")).as("without the parameter").isEqualTo("main");
        assertThat(backendFor("/q?v=3")).as("another value").isEqualTo("main");
        assertThat(backendFor("/q?xv=2")).as("another parameter").isEqualTo("main");

        assertThat(send(front, "DELETE", "/m").headers().firstValue("x-backend")).hasValue("method");
        assertThat(send(front, "GET", "/m").headers().firstValue("x-backend")).hasValue("main");
        assertThat(send(front, "POST", "/m").headers().firstValue("x-backend")).hasValue("main");
    }

    @Test
    void requestHeaderEditsReachTheBackend() throws Exception {
        HttpResponse<String> response = get(act, "/req/echo", "X-DROP", "secret", "X-Set", "spoofed", "X-Tag", "client", "X-Keep", "kept");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = List.of(response.body().split("\n"));
        assertThat(lines.get(0)).isEqualTo("actions");
        assertThat(lines.get(1)).isEqualTo("GET /req/echo");
        assertThat(lines).contains("x-added: yes", "x-keep: kept", "x-tag: client", "x-tag: junction", "x-set: route")
                .doesNotContain("x-set: spoofed");
        assertThat(response.body()).as("removed, whatever the case").doesNotContain("x-drop", "secret");
    }

    @Test
    void responseHeaderEditsReachTheClient() throws Exception {
        HttpResponse<String> set = get(act, "/resp-set/echo");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(set.body()).startsWith("actions\n");
        assertThat(set.headers().allValues("x-backend")).as("the backend's value replaced").containsExactly("edge");

        HttpResponse<String> removed = get(act, "/resp-remove/echo");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(removed.body()).startsWith("actions\n");
        assertThat(removed.headers().allValues("x-backend")).isEmpty();
        // control: without the route's edit the backend's header does reach the client
        assertThat(get(act, "/req/echo").headers().allValues("x-backend")).containsExactly("actions");
    }

    @Test
    void rewritesChangeThePathPrefixKeepingTheQueryAndTheHost() throws Exception {
        assertThat(get(act, "/v1/items?q=a%20b&x=1").body()).contains("\nGET /items?q=a%20b&x=1\n");
        assertThat(get(act, "/v1").body()).contains("\nGET /\n");
        assertThat(get(act, "/v1?x=1").body()).contains("\nGET /?x=1\n");

        HttpResponse<String> rewritten = get(act, "/old-api/a/b?k=v");
        assertThat(rewritten.statusCode()).isEqualTo(200);
        assertThat(rewritten.body()).startsWith("actions\n").contains("\nGET /echo/new/a/b?k=v\n", "\nhost: internal.svc\n")
                .doesNotContain("\nhost: 127.0.0.1")
                .as("the client's host is still forwarded").contains("\nx-forwarded-host: 127.0.0.1:" + act + "\n");
    }

    @Test
    void redirectsKeepThePathAndQueryUnlessToldNot() throws Exception {
        int before = backends.get("actions").requests();
        HttpResponse<String> kept = get(act, "/moved/x?y=1");
        assertThat(kept.statusCode()).as("the default status").isEqualTo(302);
        assertThat(kept.headers().firstValue("location")).as("no double slash at the seam")
                .hasValue("https://new.example.com/moved/x?y=1");
        assertThat(kept.body()).isEmpty();

        HttpResponse<String> fixed = get(act, "/gone/page?x=1");
        assertThat(fixed.statusCode()).isEqualTo(308);
        assertThat(fixed.headers().firstValue("location")).hasValue("https://new.example.com/landing");
        assertThat(backends.get("actions").requests()).as("no backend asked").isEqualTo(before);
    }

    @Test
    void aFixedResponseHasItsStatusBodyAndContentType() throws Exception {
        HttpResponse<String> response = get(act, "/fixed");
        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("{\"tea\":\"café\"}");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("content-length")).as("UTF-8 bytes, not characters")
                .hasValue(Integer.toString("{\"tea\":\"café\"}".getBytes(StandardCharsets.UTF_8).length));
        assertThat(get(act, "/fixed/sub").statusCode()).as("path is exact: no route").isEqualTo(404);
    }

    /**
     * {@code circuitBreaker.maxConnections} on an http upstream caps its backend connections: with both
     * held by slow requests, another request is answered 503 {@code upstream-overflow} at once; once
     * they are answered (and, pooled per event loop, idle for poolIdleTimeout at most) service resumes.
     */
    @Test
    void requestsBeyondTheUpstreamsConnectionCapAre503UpstreamOverflowUntilOneIsFree() throws Exception {
        HttpBackend backend = backends.get("capped");
        int before = backend.requests();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + capped + "/sleep?ms=4000"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        waitUntil("both slow requests reached the backend", 5000, () -> backend.requests() >= before + 2);
        long started = System.nanoTime();
        HttpResponse<String> refused = get(capped, "/echo");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("x-junction-error")).hasValue("upstream-overflow");
        assertThat(held).as("refused while both connections are held").noneMatch(CompletableFuture::isDone);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("at once, not queued").isLessThan(Duration.ofMillis(3000));
        assertThat(backend.requests()).as("the refused request never reached the backend").isEqualTo(before + 2);
        for (CompletableFuture<HttpResponse<String>> slow : held) {
            HttpResponse<String> response = slow.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("capped\n");
        }
        assertThat(Net.get(admin, "/metrics").body())
                .contains("junction_upstream_limits_overflow_total{resource=\"connection\",upstream=\"capped\"} 1.0");
        waitUntil("service resumes", 10_000, () -> get(capped, "/echo").statusCode() == 200);
        for (int i = 0; i < 5; i++) {
            assertThat(get(capped, "/echo").statusCode()).as("and stays").isEqualTo(200);
        }
    }

    /**
     * With nothing in flight, an upstream under {@code circuitBreaker.maxConnections} serves every client
     * connection, whichever event loop Junction gave it.
     */
    @Test // each event loop pools its own connections, the cap counts them all: a request that meets it closes an idle one
    void anIdlePooledConnectionDoesNotMakeAnUpstreamWithNothingInFlightRefuseRequests() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try {
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) { // one after the other: never more than one request in flight
                Socket socket = Net.connect(warm);
                clients.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String response = Net.readResponse(socket.getInputStream());
                answers.add(response.substring(0, response.indexOf('\r')) + (response.contains("upstream-overflow") ? " upstream-overflow" : ""));
            }
            assertThat(answers).as("one request at a time, each on a new client connection kept open").allMatch(a -> a.startsWith("HTTP/1.1 200 "));
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
        }
    }

    @Test // each pipeline pools its own connections, the upstream's cap counts them all: one pipeline's idle one is closed
    void anIdleConnectionAnotherPipelinePooledDoesNotKeepASharedCapFull() throws Exception {
        HttpBackend shared = backends.get("shared");
        int connectionsBefore = shared.connections();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // one request at a time, alternating pipelines: each finds the other's idle connection
            String response = rawGet(i % 2 == 0 ? sharedA : sharedB, "/echo");
            answers.add(response.substring(0, response.indexOf('\r')) + (response.contains("upstream-overflow") ? " upstream-overflow" : ""));
        }
        assertThat(answers).as("never refused with an idle connection in the other pipeline's pool").allMatch(a -> a.startsWith("HTTP/1.1 200 "));
        assertThat(shared.connections() - connectionsBefore).as("each switch of pipeline took a new connection").isEqualTo(6);
    }

    /** One GET of {@code target} on a new connection, sent byte for byte (no client normalises it): the whole response. */
    private static String rawGet(int port, String target) throws IOException {
        try (Socket socket = Net.connect(port)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return Net.readResponse(socket.getInputStream());
        }
    }

    /** The request line the {@code main} backend echoed (its second body line), after checking it answered. */
    private static String echoedTarget(String response) {
        assertThat(response).startsWith("HTTP/1.1 200 ").contains("\r\n\r\nmain\n");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        return body.split("\n")[1];
    }

    @Test
    void everySpellingOfAPathTakesTheRouteOfItsNormalForm() throws Exception {
        int mainBefore = backends.get("main").requests();
        for (String target : List.of("/admin", "/%61dmin", "/%61%64%6D%69%6E/x", "/public/../admin", "/public/%2e%2e/admin/x",
                "/./admin", "/../admin", "/x/.%2E/admin?a=b")) {
            assertThat(rawGet(paths, target)).as(target).startsWith("HTTP/1.1 403 ").endsWith("denied");
        }
        assertThat(rawGet(paths, "/public/..;/admin")).as("path parameters, which some backends drop, refused by route")
                .startsWith("HTTP/1.1 400 ").endsWith("no path parameters");
        assertThat(backends.get("main").requests()).as("no spelling of /admin reached a backend").isEqualTo(mainBefore);
        // the same spellings on a pipeline with normalizePath off miss the route, and the backend, which decodes, serves them
        assertThat(rawGet(rawPaths, "/admin")).startsWith("HTTP/1.1 403 ");
        for (String target : List.of("/%61dmin", "/public/%2e%2e/admin/x")) {
            assertThat(rawGet(rawPaths, target)).as(target).doesNotStartWith("HTTP/1.1 403 ").containsIgnoringCase("\r\nx-backend: main\r\n");
        }
    }

    @Test
    void theBackendGetsThePathRoutingSaw() throws Exception {
        assertThat(echoedTarget(rawGet(paths, "/echo/%7euser/./a/../b%2fc%20d?q=%2e%2e/../x")))
                .as("unreserved decoded, the rest upper-case hex, dot segments gone, the query untouched")
                .isEqualTo("GET /echo/~user/b%2Fc%20d?q=%2e%2e/../x");
        assertThat(echoedTarget(rawGet(paths, "/echo//a//b"))).as("slashes are not merged by default").isEqualTo("GET /echo//a//b");
        assertThat(echoedTarget(rawGet(rawPaths, "/echo/%7euser/./a/../b"))).as("normalizePath off").isEqualTo("GET /echo/%7euser/./a/../b");
        assertThat(echoedTarget(rawGet(strictPaths, "/echo//a///b/./"))).as("mergeSlashes").isEqualTo("GET /echo/a/b/");
    }

    @Test
    void aPathThatCannotBeNormalisedIs400() throws Exception {
        int mainBefore = backends.get("main").requests();
        String invalid = rawGet(paths, "/echo/%zz");
        assertThat(invalid).startsWith("HTTP/1.1 400 ").containsIgnoringCase("\r\nx-junction-error: invalid-path\r\n");
        assertThat(rawGet(paths, "/echo/a%2")).startsWith("HTTP/1.1 400 ");
        for (String target : List.of("/echo/a%2Fb", "/echo/a%2fb", "/echo/a%5Cb", "/admin%2F..%2Fecho")) {
            assertThat(rawGet(strictPaths, target)).as(target).startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("\r\nx-junction-error: escaped-slash-in-path\r\n");
        }
        assertThat(echoedTarget(rawGet(paths, "/echo/a%2fb"))).as("kept, by default").isEqualTo("GET /echo/a%2Fb");
        assertThat(backends.get("main").requests()).as("only the kept escaped slash reached the backend").isEqualTo(mainBefore + 1);
        String metrics = Net.get(admin, "/metrics").body();
        assertThat(metrics).containsPattern("junction_http_errors_total\\{[^}]*pipeline=\"paths\"[^}]*reason=\"invalid-path\"[^}]*} 2\\.0")
                .containsPattern("junction_http_errors_total\\{[^}]*pipeline=\"strict-paths\"[^}]*reason=\"escaped-slash-in-path\"[^}]*} 4\\.0");
    }

    private static void waitUntil(String what, long millis, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
