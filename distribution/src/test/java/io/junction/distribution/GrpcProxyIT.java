package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC through the real distribution: grpc-java clients (h2c) → Junction → grpc-java backends over h2c
 * ({@code "httpProtocol": "h2"}), checked with the {@code grpc} health check. Every call kind, per-call
 * balancing, deadlines, a backend dying mid-stream, status mapping, retries and metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class GrpcProxyIT {

    private static final MethodDescriptor<String, String> SAY = GrpcBackend.method("test.Echo", "Say", MethodDescriptor.MethodType.UNARY);

    private Path work;
    private final List<GrpcBackend> echo = new ArrayList<>();
    private final List<GrpcBackend> kill = new ArrayList<>();
    private GrpcBackend sick;
    private ServerSocket hole;
    private ServerSocket page;
    private final ConcurrentLinkedQueue<HoleRead> holeRequests = new ConcurrentLinkedQueue<>();
    private final List<Socket> holeSockets = new CopyOnWriteArrayList<>();
    private JunctionProcess junction;
    private int front;
    private int admin;
    private ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("grpc-it");
        for (int i = 1; i <= 3; i++) {
            echo.add(new GrpcBackend("e" + i, false));
            kill.add(new GrpcBackend("k" + i, false));
        }
        sick = new GrpcBackend("s1", true);
        hole = new ServerSocket(0, 50, java.net.InetAddress.getByName(Net.LOOPBACK));
        daemon(this::swallow);
        page = new ServerSocket(0, 50, java.net.InetAddress.getByName(Net.LOOPBACK));
        daemon(this::errorPages);
        front = Net.freePort();
        admin = Net.freePort();
        warmUp(); // a cold grpc-java server can take longer than a health check's timeout to answer its first call
        // The echo set's checks are slow and lenient (5 s / 4 s): a check that misses its timeout on a loaded machine
        // would mark a backend down and skew the balancing test, which wants an even share for all three.
        String grpcCheck = "\"healthCheck\": { \"type\": \"grpc\", \"interval\": \"%s\", \"timeout\": \"%s\", \"unhealthyThreshold\": %d }";
        junction = JunctionProcess.startReady(work, "-c", Configs.write(work, "grpc.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "grpc", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                      "routes": [
                        { "match": { "grpcService": "test.Echo", "grpcMethod": "Flaky" }, "upstream": "retry",
                          "action": { "bufferRequestBody": "64KB",
                                      "retry": { "attempts": 2, "retryOn": [ "unavailable" ] } } },
                        { "match": { "grpcService": "test.Echo", "grpcMethod": "CollectBuffered" }, "upstream": "echo",
                          "action": { "bufferRequestBody": "64KB" } },
                        { "match": { "grpcService": "test.Echo" }, "upstream": "echo" },
                        { "match": { "grpcService": "test.Kill" }, "upstream": "kill" },
                        { "match": { "grpcService": "test.Sick" }, "upstream": "sick" },
                        { "match": { "grpcService": "test.Hole" }, "upstream": "hole" },
                        { "match": { "grpcService": "test.Page" }, "upstream": "page" } ] } ],
                  "upstreams": [
                    { "name": "echo", "httpProtocol": "h2", "endpoints": [ "%s", "%s", "%s" ], %s },
                    { "name": "retry", "httpProtocol": "h2", "endpoints": [ "%s", "%s", "%s" ] },
                    { "name": "kill", "httpProtocol": "h2", "endpoints": [ "%s", "%s", "%s" ], %s },
                    { "name": "sick", "httpProtocol": "h2", "endpoints": [ "%s" ], %s },
                    { "name": "hole", "endpoints": [ "127.0.0.1:%d" ] },
                    { "name": "page", "endpoints": [ "127.0.0.1:%d" ] } ] }
                """.formatted(admin, front,
                echo.get(0).endpoint(), echo.get(1).endpoint(), echo.get(2).endpoint(), grpcCheck.formatted("5s", "4s", 2),
                echo.get(0).endpoint(), echo.get(1).endpoint(), echo.get(2).endpoint(),
                kill.get(0).endpoint(), kill.get(1).endpoint(), kill.get(2).endpoint(), grpcCheck.formatted("500ms", "450ms", 2),
                sick.endpoint(), grpcCheck.formatted("200ms", "150ms", 1), hole.getLocalPort(), page.getLocalPort())).toString());
        channel = Grpc.newChannelBuilderForAddress(Net.LOOPBACK, front, InsecureChannelCredentials.create()).build();
        for (int i = 0; i < 12; i++) { // Junction's backend connections opened (and its code warm) before the timed tests
            say("test.Echo", "warm-up");
        }
    }

    private void warmUp() throws InterruptedException {
        List<GrpcBackend> all = new ArrayList<>(echo);
        all.addAll(kill);
        for (GrpcBackend backend : all) {
            ManagedChannel direct = Grpc.newChannelBuilderForAddress(Net.LOOPBACK, backend.port(), InsecureChannelCredentials.create()).build();
            try {
                ClientCalls.blockingUnaryCall(direct, SAY, within(10), "warm-up");
            } finally {
                direct.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** What the hole read of one request, and when it had read it ({@link System#nanoTime()}). */
    private record HoleRead(String request, long readNanos) {
    }

    /** The "hole" backend: takes HTTP/1.1 requests, keeps what it read of each and when, never answers. */
    private void swallow() {
        while (!hole.isClosed()) {
            try {
                Socket socket = hole.accept();
                holeSockets.add(socket);
                daemon(() -> {
                    try {
                        byte[] buffer = new byte[4096];
                        int n = socket.getInputStream().read(buffer);
                        long readNanos = System.nanoTime();
                        if (n > 0) {
                            holeRequests.add(new HoleRead(new String(buffer, 0, n, StandardCharsets.ISO_8859_1), readNanos));
                        }
                    } catch (Exception ignored) {
                        // closed by the test
                    }
                });
            } catch (Exception closed) {
                return;
            }
        }
    }

    /** The "page" backend: not a gRPC server, it answers every request with an HTTP error page (403 or 503 by path). */
    private void errorPages() {
        while (!page.isClosed()) {
            try (Socket socket = page.accept()) {
                byte[] buffer = new byte[4096];
                int n = socket.getInputStream().read(buffer);
                String request = n > 0 ? new String(buffer, 0, n, StandardCharsets.ISO_8859_1) : "";
                String status = request.contains("/test.Page/Forbidden") ? "403 Forbidden" : "503 Service Unavailable";
                socket.getOutputStream().write(("HTTP/1.1 " + status + "\r\nContent-Type: text/html\r\nContent-Length: 9\r\n"
                        + "Connection: close\r\n\r\n<h1>x</h1>").getBytes(StandardCharsets.US_ASCII));
            } catch (Exception closed) {
                if (page.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "grpc-it-hole");
        thread.setDaemon(true);
        thread.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (junction != null) {
            String output = junction.output();
            junction.close();
            assertThat(output).as("Netty leak reports").doesNotContain("LEAK:");
        }
        for (GrpcBackend backend : echo) {
            backend.close();
        }
        for (GrpcBackend backend : kill) {
            backend.close();
        }
        if (sick != null) {
            sick.close();
        }
        if (hole != null) {
            hole.close();
        }
        if (page != null) {
            page.close();
        }
        for (Socket socket : holeSockets) {
            socket.close();
        }
    }

    private static CallOptions within(long seconds) {
        return CallOptions.DEFAULT.withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    private String say(String service, String text) {
        return ClientCalls.blockingUnaryCall(channel, GrpcBackend.method(service, "Say", MethodDescriptor.MethodType.UNARY),
                within(10), text);
    }

    @Test
    void everyKindOfCallPassesThrough() throws Exception {
        assertThat(say("test.Echo", "hello")).matches("e[123]:hello");

        Iterator<String> streamed = ClientCalls.blockingServerStreamingCall(channel,
                GrpcBackend.method("test.Echo", "Stream", MethodDescriptor.MethodType.SERVER_STREAMING), within(10), "5,10");
        List<String> messages = new ArrayList<>();
        streamed.forEachRemaining(messages::add);
        assertThat(messages).hasSize(5);
        String backend = messages.get(0).substring(0, 2);
        assertThat(messages).containsExactly(backend + ":0", backend + ":1", backend + ":2", backend + ":3", backend + ":4");

        CompletableFuture<String> collected = new CompletableFuture<>();
        StreamObserver<String> upload = ClientCalls.asyncClientStreamingCall(channel.newCall(
                GrpcBackend.method("test.Echo", "Collect", MethodDescriptor.MethodType.CLIENT_STREAMING), within(10)), single(collected));
        for (String part : List.of("a", "b", "c")) {
            upload.onNext(part);
        }
        upload.onCompleted();
        assertThat(collected.get(10, TimeUnit.SECONDS)).matches("e[123]:a,b,c");

        List<String> replies = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> chatDone = new CompletableFuture<>();
        StreamObserver<String> chat = ClientCalls.asyncBidiStreamingCall(channel.newCall(
                GrpcBackend.method("test.Echo", "Chat", MethodDescriptor.MethodType.BIDI_STREAMING), within(10)),
                collecting(replies, chatDone));
        chat.onNext("one");
        awaitSize(replies, 1); // the first reply arrives while the request stream is still open: really bidirectional
        chat.onNext("two");
        chat.onCompleted();
        chatDone.get(10, TimeUnit.SECONDS);
        assertThat(replies).hasSize(2);
        assertThat(replies.get(1)).isEqualTo(replies.get(0).substring(0, 2) + ":two");
    }

    @Test
    void eachCallOfOneChannelIsBalancedOnItsOwn() {
        Map<String, Integer> before = new HashMap<>();
        echo.forEach(b -> before.put(b.name(), b.calls.get()));
        Map<String, Integer> answered = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String reply = say("test.Echo", "n" + i);
            assertThat(reply).endsWith(":n" + i);
            answered.merge(reply.substring(0, 2), 1, Integer::sum);
        }
        assertThat(answered).containsOnlyKeys("e1", "e2", "e3");
        for (GrpcBackend backend : echo) {
            assertThat(answered.get(backend.name())).as("calls answered by " + backend.name()).isGreaterThanOrEqualTo(60);
            assertThat(backend.calls.get() - before.get(backend.name())).as("calls " + backend.name() + " saw")
                    .isGreaterThanOrEqualTo(60);
        }
    }

    @Test
    void anExpiredDeadlineIsDeadlineExceededAndTheBackendGetsTheShorterDeadline() throws Exception {
        Map<GrpcBackend, Integer> seenBefore = deadlineCounts();
        long started = System.nanoTime();
        // a 1.5 s deadline against a backend that answers after 10 s: far apart, so no slowness of this machine blurs them
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.method("test.Echo", "Slow", MethodDescriptor.MethodType.UNARY),
                CallOptions.DEFAULT.withDeadlineAfter(1500, TimeUnit.MILLISECONDS), "10000"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("ended by the deadline, not by the 10 s answer")
                .isLessThan(6500);
        List<Long> seen = awaitDeadlinesSince(seenBefore, 1);
        assertThat(seen).as("deadline the slow backend got").hasSize(1)
                .allSatisfy(left -> assertThat(left).isGreaterThan(0L).isLessThanOrEqualTo(1500L));
    }

    @Test
    void theBackendGetsWhatIsLeftOfTheDeadlineAfterJunctionBufferedTheRequest() throws Exception {
        Map<GrpcBackend, Integer> seenBefore = deadlineCounts();
        CompletableFuture<String> collected = new CompletableFuture<>();
        StreamObserver<String> upload = ClientCalls.asyncClientStreamingCall(channel.newCall(
                GrpcBackend.method("test.Echo", "CollectBuffered", MethodDescriptor.MethodType.CLIENT_STREAMING),
                CallOptions.DEFAULT.withDeadlineAfter(6000, TimeUnit.MILLISECONDS)), single(collected));
        upload.onNext("first");
        Thread.sleep(1000); // Junction holds the body until its end: the deadline runs meanwhile
        upload.onNext("second");
        upload.onCompleted();
        assertThat(collected.get(10, TimeUnit.SECONDS)).matches("e[123]:first,second");
        List<Long> seen = deadlinesSince(seenBefore);
        // At most 5 s (+ 100 ms for the headers' way into Junction): the 1 s spent buffering was taken off. At least 3 s:
        // room for a slow machine to take 2 s more to forward the call, yet far below what a double subtraction would leave.
        assertThat(seen).as("deadline the backend got, from a client deadline of 6s of which 1s went on buffering")
                .hasSize(1).allSatisfy(left -> assertThat(left).isBetween(3000L, 5100L));
    }

    @Test
    void junctionAnswersAnExpiredDeadlineItselfWithATrailersOnlyStatus() throws Exception {
        int before = holeRequests.size();
        long started = System.nanoTime();
        String response = rawGrpc("/test.Hole/Wait", "grpc-timeout: 2000m\r\n");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(response).startsWith("HTTP/1.1 200 ").contains("grpc-status: 4\r\n").contains("x-junction-error: grpc-deadline-exceeded\r\n")
                .contains("content-type: application/grpc\r\n").contains("content-length: 0\r\n");
        // not before the 2 s deadline (it counts from the request's arrival, after `started`), and not from anything else:
        // the pipeline's response timeout is 60 s and the socket's read timeout 10 s
        assertThat(tookMillis).isBetween(1900L, 8000L);
        HoleRead forwarded = holeRequests.stream().skip(before).filter(r -> r.request().contains("/test.Hole/Wait")).findFirst().orElseThrow();
        String timeout = forwarded.request().lines().filter(l -> l.toLowerCase().startsWith("grpc-timeout:")).findFirst().orElseThrow()
                .substring("grpc-timeout:".length()).trim();
        assertThat(timeout).as("propagated grpc-timeout").matches("\\d{1,8}[num]");
        long nanos = Long.parseLong(timeout.substring(0, timeout.length() - 1))
                * switch (timeout.charAt(timeout.length() - 1)) { case 'n' -> 1L; case 'u' -> 1_000L; default -> 1_000_000L; };
        // Junction took off the time since the request arrived (after `started`) until it forwarded it (before the hole
        // read it): what it sent lies between 2 s less that whole span (20 ms for rounding) and 2 s less a little.
        long span = forwarded.readNanos() - started;
        assertThat(nanos).as("propagated grpc-timeout %s, %d ms from sending the request to the hole's read", timeout,
                        TimeUnit.NANOSECONDS.toMillis(span))
                .isGreaterThan(0)
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(2000))
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(2000 - 20) - span);

        String malformed = rawGrpc("/test.Hole/Wait", "grpc-timeout: 5x\r\n");
        assertThat(malformed).startsWith("HTTP/1.1 200 ").contains("grpc-status: 13\r\n").contains("x-junction-error: invalid-grpc-timeout\r\n");
    }

    /** A gRPC request over HTTP/1.1 by hand (what no grpc-java client sends), returning the response head. */
    private String rawGrpc(String path, String extraHeaders) throws Exception {
        try (Socket socket = Net.connect(front)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\ncontent-type: application/grpc\r\n" + extraHeaders
                    + "content-length: 5\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[5]); // an empty message: not compressed, length 0
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }

    @Test
    void aBackendDyingMidStreamFailsThatCallAndTheNextCallsGoToTheOthers() throws Exception {
        Iterator<String> streamed = ClientCalls.blockingServerStreamingCall(channel,
                GrpcBackend.method("test.Kill", "Stream", MethodDescriptor.MethodType.SERVER_STREAMING), within(20), "200,25");
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            received.add(streamed.next());
        }
        String victim = received.get(0).substring(0, 2);
        GrpcBackend dying = kill.stream().filter(b -> b.name().equals(victim)).findFirst().orElseThrow();
        dying.kill();
        assertThatThrownBy(() -> streamed.forEachRemaining(received::add))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    // Junction ends the cut call with trailers of its own rather than a reset the client would read as CANCELLED
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).startsWith("the exchange failed mid-response (backend-");
                });
        assertThat(received.size()).as("messages before the backend died").isLessThan(200);
        for (int i = 0; i < 12; i++) {
            String reply = say("test.Kill", "after" + i);
            assertThat(reply).endsWith(":after" + i).doesNotStartWith(victim);
        }
    }

    @Test
    void junctionsOwnErrorsAreGrpcStatuses() throws Exception {
        assertThatThrownBy(() -> say("test.Missing", "x")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
            assertThat(e.getStatus().getDescription()).isEqualTo("404 Not Found (no-route)");
            assertThat(e.getTrailers().get(Metadata.Key.of("x-junction-error", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("no-route");
        });
        // the sick backend fails its grpc health check: once Junction sees it, the upstream has no healthy endpoint
        StatusRuntimeException last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try {
                say("test.Sick", "x");
            } catch (StatusRuntimeException e) {
                last = e;
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        assertThat(last).isNotNull();
        assertThat(last.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(last.getStatus().getDescription()).isEqualTo("503 Service Unavailable (no-healthy-endpoint)");
    }

    @Test
    void aBackendsStatusMessageAndTrailersReachTheClient() throws Exception {
        String message = "no item 42: ünïcödé 100% \"quoted\"";
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.method("test.Echo", "Fail", MethodDescriptor.MethodType.UNARY),
                within(10), message)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                    assertThat(e.getTrailers().get(GrpcBackend.DETAIL)).matches("from-e[123]");
                });
        // a status after messages travels in real trailers, after the body
        Iterator<String> streamed = ClientCalls.blockingServerStreamingCall(channel,
                GrpcBackend.method("test.Echo", "Stream", MethodDescriptor.MethodType.SERVER_STREAMING), within(10), "2,5,fail");
        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> streamed.forEachRemaining(received::add)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).isEqualTo("stopped after 2");
            assertThat(e.getTrailers().get(GrpcBackend.DETAIL)).isEqualTo("after-2");
        });
        assertThat(received).hasSize(2);
    }

    @Test
    void aBackendsHttpErrorPageBecomesAGrpcStatus() {
        assertThatThrownBy(() -> say("test.Page", "x")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).isEqualTo("HTTP status 503 from the upstream");
            assertThat(e.getTrailers().get(Metadata.Key.of("x-junction-error", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo("upstream-http-status");
        });
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.method("test.Page", "Forbidden",
                MethodDescriptor.MethodType.UNARY), within(10), "x")).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void anUnavailableAnswerIsRetriedOnAnotherBackend() {
        int flakyBefore = echo.get(0).flakyCalls.get();
        for (int i = 0; i < 9; i++) {
            String reply = ClientCalls.blockingUnaryCall(channel, GrpcBackend.method("test.Echo", "Flaky", MethodDescriptor.MethodType.UNARY),
                    within(10), "r" + i);
            assertThat(reply).matches("e[23]:r" + i);
        }
        assertThat(echo.get(0).flakyCalls.get() - flakyBefore).as("tries that e1 answered UNAVAILABLE, then retried").isGreaterThanOrEqualTo(2);
    }

    @Test
    void callsAreCountedByServiceMethodAndStatus() throws Exception {
        for (int i = 0; i < 3; i++) {
            say("test.Echo", "m" + i);
        }
        assertThatThrownBy(() -> say("test.Nowhere", "x")).isInstanceOf(StatusRuntimeException.class);
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.method("test.Echo", "Fail", MethodDescriptor.MethodType.UNARY),
                within(10), "gone")).isInstanceOf(StatusRuntimeException.class);
        String metrics = Net.get(admin, "/metrics").body();
        assertThat(metrics).containsPattern(
                "junction_grpc_calls_total\\{method=\"Say\",pipeline=\"grpc\",service=\"test.Echo\",status=\"OK\"} [1-9]");
        assertThat(metrics).containsPattern(
                "junction_grpc_calls_total\\{method=\"Say\",pipeline=\"grpc\",service=\"test.Nowhere\",status=\"UNIMPLEMENTED\"} 1");
        assertThat(metrics).containsPattern(
                "junction_grpc_calls_total\\{method=\"Fail\",pipeline=\"grpc\",service=\"test.Echo\",status=\"NOT_FOUND\"} [1-9]");
        assertThat(metrics).containsPattern(
                "junction_grpc_call_duration_seconds_count\\{method=\"Say\",pipeline=\"grpc\",service=\"test.Echo\"} [1-9]");
    }

    private Map<GrpcBackend, Integer> deadlineCounts() {
        Map<GrpcBackend, Integer> counts = new HashMap<>();
        echo.forEach(b -> counts.put(b, b.deadlinesMillis.size()));
        return counts;
    }

    /** The deadlines the echo backends saw since {@code before} was taken, once there are at least {@code count} (10 s at most). */
    private List<Long> awaitDeadlinesSince(Map<GrpcBackend, Integer> before, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Long> seen = deadlinesSince(before);
        while (seen.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
            seen = deadlinesSince(before);
        }
        return seen;
    }

    /** The deadlines the echo backends saw since {@code before} was taken. */
    private List<Long> deadlinesSince(Map<GrpcBackend, Integer> before) {
        List<Long> seen = new ArrayList<>();
        echo.forEach(b -> b.deadlinesMillis.stream().skip(before.get(b)).forEach(seen::add));
        return seen;
    }

    /** Completes {@code result} with the first message (null if none came), or with the call's error. */
    private static StreamObserver<String> single(CompletableFuture<String> result) {
        return observer(result::complete, () -> result.complete(null), result::completeExceptionally);
    }

    /** Adds every message to {@code into}; completes {@code done} at the end, or with the call's error. */
    private static StreamObserver<String> collecting(List<String> into, CompletableFuture<Void> done) {
        return observer(into::add, () -> done.complete(null), done::completeExceptionally);
    }

    private static StreamObserver<String> observer(Consumer<String> onNext, Runnable onCompleted, Consumer<Throwable> onError) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                onNext.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                onError.accept(t);
            }

            @Override
            public void onCompleted() {
                onCompleted.run();
            }
        };
    }

    private static void awaitSize(List<String> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(size);
    }
}
