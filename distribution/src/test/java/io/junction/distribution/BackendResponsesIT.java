package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.distribution.ScriptedBackend.Script;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
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
 * How Junction passes on unusual but valid responses of an HTTP/1.1 backend, through the real distribution:
 * an interim 103, a 304 and a HEAD response that carry a Content-Length but no body, a chunked response with
 * a trailer section, a backend that resets instead of answering, and a backend that refuses an
 * {@code Expect: 100-continue} request with a final status.
 *
 * <p>A raw keep-alive backend answers each request with a scripted byte string. Junction runs with one event
 * loop, so its backend pool is a single one and "the next request went over the same backend connection" is exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class BackendResponsesIT {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    private Path work;
    /** Behind pipeline "back", with the default retry policy. */
    private ScriptedBackend backend;
    /** Behind pipeline "noretry" (retries off); used by one test only, so its first request opens its first connection. */
    private ScriptedBackend resetBackend;
    private JunctionProcess junction;
    private int port;
    private int noRetryPort;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("backend-responses-it");
        backend = new ScriptedBackend();
        resetBackend = new ScriptedBackend();
        port = Net.freePort();
        noRetryPort = Net.freePort();
        junction = JunctionProcess.startReady(work, "run", "--event-loops", "1", "-c", Configs.write(work, "responses.json", """
                { "pipelines": [
                    { "name": "back", "listen": "127.0.0.1:%d", "protocol": { "type": "http" }, "upstream": "raw" },
                    { "name": "noretry", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "retry": { "attempts": 0 } }, "upstream": "rst" } ],
                  "upstreams": [ { "name": "raw", "endpoints": [ "127.0.0.1:%d" ] },
                                 { "name": "rst", "endpoints": [ "127.0.0.1:%d" ] } ] }
                """.formatted(port, noRetryPort, backend.port(), resetBackend.port())).toString());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {junction, backend, resetBackend}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /**
     * A 103 reaches the client, with its Link field, while the backend still holds the final response back
     * (so it was passed on at once, not merely in order); then the 200 and its body, and the connection
     * stays correctly framed for the next request.
     */
    @Test
    void anEarlyHintsResponseReachesTheClientBeforeTheFinalResponse() throws Exception {
        CountDownLatch finalResponse = new CountDownLatch(1);
        backend.script("/early-hints", Script.inTwoParts("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n",
                finalResponse, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        try (Socket client = Net.connect(port)) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            send(client, "GET /early-hints HTTP/1.1\r\nHost: responses.test\r\n\r\n");
            String interim;
            try {
                interim = Net.readHead(in);
            } finally {
                finalResponse.countDown(); // the backend sends the 200 only now
            }
            assertThat(interim).startsWith("HTTP/1.1 103 Early Hints\r\n").endsWith("\r\n\r\n");
            assertThat(interim.toLowerCase(Locale.ROOT)).contains("\r\nlink: </a.css>; rel=preload\r\n")
                    .doesNotContain("content-length").doesNotContain("transfer-encoding");

            String head = Net.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(readBody(in, head)).isEqualTo("hello");

            assertNextExchangeIsFramed(client, in, "/after-early-hints");
        }
        assertThat(backend.servedBy("/after-early-hints").id).as("the backend connection was reused after the 103 and the 200")
                .isEqualTo(backend.servedBy("/early-hints").id);
    }

    static Stream<Arguments> lengthWithoutBody() {
        return Stream.of(
                Arguments.of("GET", "/not-modified", "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 42\r\n\r\n",
                        "HTTP/1.1 304 Not Modified\r\n"),
                Arguments.of("HEAD", "/head", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 42\r\n\r\n",
                        "HTTP/1.1 200 OK\r\n"));
    }

    /**
     * A 304, and a response to HEAD, say Content-Length: 42 and send no body: the client gets the head with
     * that Content-Length and no body byte, the next response on the same client connection parses, and the
     * backend connection served the next request too (nothing of it was taken for the missing body).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("lengthWithoutBody")
    void aContentLengthWithoutABodyTakesNoBytes(String method, String target, String response, String statusLine) throws Exception {
        backend.script(target, Script.respond(response));
        String next = target + "/next";
        try (Socket client = Net.connect(port)) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            send(client, method + " " + target + " HTTP/1.1\r\nHost: responses.test\r\nIf-None-Match: \"v1\"\r\n\r\n");
            String head = Net.readHead(in);
            assertThat(head).startsWith(statusLine).endsWith("\r\n\r\n");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\ncontent-length: 42\r\n").doesNotContain("transfer-encoding");

            // The next response's status line follows the empty line at once: no body byte came in between.
            assertNextExchangeIsFramed(client, in, next);
        }
        ScriptedBackend.Connection served = backend.servedBy(target);
        assertThat(backend.servedBy(next).id).as("the backend connection went on to the next request").isEqualTo(served.id);
        assertThat(served.requests()).containsSubsequence(method + " " + target, "GET " + next);
    }

    /**
     * A chunked response with a trailer section, to a client that sent {@code TE: trailers}: Junction re-chunks
     * the body and passes the trailer field on after the last chunk; the body arrives intact and the connection
     * stays framed.
     */
    @Test
    void responseTrailersReachAnHttp11ClientAfterTheRechunkedBody() throws Exception {
        backend.script("/trailers", Script.respond("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n"));
        try (Socket client = Net.connect(port)) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            send(client, "GET /trailers HTTP/1.1\r\nHost: responses.test\r\nTE: trailers\r\n\r\n");
            String head = Net.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\ntransfer-encoding: chunked\r\n").doesNotContain("content-length");

            Chunked chunked = readChunked(in);
            assertThat(chunked.body()).isEqualTo("hello world");
            assertThat(chunked.trailers()).containsExactly("X-Checksum: abc");

            assertNextExchangeIsFramed(client, in, "/after-trailers");
        }
    }

    /**
     * The backend reads a POST and its body, then resets the connection without a word. A POST with a body is
     * not retried: the client gets 502 backend-closed (Junction does not tell a reset from a close on HTTP/1.1),
     * the backend saw the request once, Junction logs the error at WARN, and the client connection, whose request
     * was complete, stays open and framed.
     */
    @Test
    void aResetBeforeTheResponseIsA502ForAPostWithABody() throws Exception {
        backend.script("/reset-post", Script.resetAfterReading());
        try (Socket client = Net.connect(port)) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            send(client, "POST /reset-post HTTP/1.1\r\nHost: responses.test\r\nContent-Length: 5\r\n\r\nhello");
            String head = Net.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 502 ");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\nx-junction-error: backend-closed\r\n");
            assertThat(readBody(in, head)).contains("backend-closed");

            assertNextExchangeIsFramed(client, in, "/after-reset-post");
        }
        assertThat(backend.requestCount("POST /reset-post")).as("a POST with a body is not sent again").isEqualTo(1);
        assertThat(backend.servedBy("/reset-post").bodyOf("POST /reset-post")).isEqualTo("hello");
        junction.awaitOutput("502 backend-closed for POST /reset-post from ", Duration.ofSeconds(10));
        assertThat(junction.output()).containsPattern("WARN .* pipeline back: 502 backend-closed for POST /reset-post from /127\\.0\\.0\\.1:\\d+, "
                + "upstream raw, endpoint " + Pattern.quote("127.0.0.1:" + backend.port()) + "\n");
    }

    /**
     * The same reset for a GET on a pipeline with retries off, on the backend's first connection (so not the
     * keep-alive race Junction always sends again): 502 backend-closed, the request reached the backend once,
     * and the WARN line names the pipeline, request, client, upstream and endpoint.
     */
    @Test
    void aResetBeforeTheResponseIsA502WithRetriesOff() throws Exception {
        resetBackend.script("/reset-get", Script.resetAfterReading());
        assertThat(resetBackend.accepted()).as("nothing went to this backend before").isZero();
        try (Socket client = Net.connect(noRetryPort)) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            send(client, "GET /reset-get HTTP/1.1\r\nHost: responses.test\r\n\r\n");
            String head = Net.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 502 ");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\nx-junction-error: backend-closed\r\n");
            assertThat(readBody(in, head)).contains("backend-closed");
        }
        assertThat(resetBackend.requestCount("GET /reset-get")).as("with retries off, the reset request is not sent again").isEqualTo(1);
        assertThat(resetBackend.accepted()).isEqualTo(1);
        junction.awaitOutput("502 backend-closed for GET /reset-get from ", Duration.ofSeconds(10));
        assertThat(junction.output()).containsPattern("WARN .* pipeline noretry: 502 backend-closed for GET /reset-get from "
                + "/127\\.0\\.0\\.1:\\d+, upstream rst, endpoint " + Pattern.quote("127.0.0.1:" + resetBackend.port()) + "\n");
    }

    /**
     * A backend that refuses an {@code Expect: 100-continue} request with 417 (no 100): the client gets the
     * 417, with no 100 before it and with {@code Connection: close}; the exchange ended before the request did, so
     * Junction closes the backend connection and the client connection (after the 417): body bytes the client sends
     * afterwards go nowhere, and no backend ever sees them as a request.
     */
    @Test
    void aRefusedExpectContinueEndsBothConnectionsAndTheLateBodyIsNeverARequest() throws Exception {
        String lateBody = "ABCDEF\r\n\r\n"; // 10 bytes shaped like a request head, should a backend read them as one
        backend.script("/expect", Script.refuseBody("HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n"));
        String head;
        try (Socket client = Net.connect(port)) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            send(client, "POST /expect HTTP/1.1\r\nHost: responses.test\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
            head = Net.readHead(in);
            assertThat(head).as("the 417 is the first thing the client gets (no 100 Continue)").startsWith("HTTP/1.1 417 Expectation Failed\r\n");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\ncontent-length: 0\r\n")
                    .as("the 417 says the connection closes after it (RFC 9110 10.1.1)").contains("\r\nconnection: close\r\n");

            try {
                send(client, lateBody);
            } catch (IOException closedAlready) {
                // the connection may already be gone: then the body cannot go anywhere either
            }
            ByteArrayOutputStream more = new ByteArrayOutputStream();
            in.transferTo(more); // until Junction closes the connection (the socket timeout bounds it)
            assertThat(more.toString(StandardCharsets.ISO_8859_1)).as("nothing after the 417 before the close").isEmpty();
        }
        ScriptedBackend.Connection served = backend.servedBy("/expect");
        assertThat(served.awaitClosed(WITHIN)).as("Junction closed the backend connection whose request was cut short").isTrue();
        assertThat(served.requests()).last().isEqualTo("POST /expect");
        String received = served.receivedFrom("POST /expect HTTP/1.1\r\n");
        assertThat(received.toLowerCase(Locale.ROOT)).as("the expectation was passed on").contains("\r\nexpect: 100-continue\r\n");
        assertThat(received).as("the request head, and nothing after it").endsWith("\r\n\r\n").containsOnlyOnce("\r\n\r\n");

        String after = exchangeOnNewConnection("/after-expect");
        assertThat(after).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok");
        assertThat(backend.servedBy("/after-expect").id).as("the next request went over a new backend connection").isNotEqualTo(served.id);
        assertThat(backend.allReceived()).as("no backend connection ever received the late body").doesNotContain("ABCDEF");
        assertThat(backend.allRequestLines()).noneMatch(line -> line.contains("ABCDEF"));
    }

    // ---- client helpers ----

    private static void send(Socket socket, String raw) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A GET on the same connection gets the backend's 2-byte 200, parsed from the first byte after the previous response. */
    private static void assertNextExchangeIsFramed(Socket client, InputStream in, String target) throws IOException {
        send(client, "GET " + target + " HTTP/1.1\r\nHost: responses.test\r\n\r\n");
        String head = Net.readHead(in);
        assertThat(head).as("the next response on the connection starts where the previous one ended").startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(readBody(in, head)).isEqualTo("ok");
    }

    private String exchangeOnNewConnection(String target) throws IOException {
        try (Socket socket = Net.connect(port)) {
            send(socket, "GET " + target + " HTTP/1.1\r\nHost: responses.test\r\nConnection: close\r\n\r\n");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(bytes);
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The body of a response framed by Content-Length (none without one). */
    private static String readBody(InputStream in, String head) throws IOException {
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        assertThat(body).as("the whole body").hasSize(length);
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    private record Chunked(String body, List<String> trailers) {
    }

    /** A chunked body, strictly: hex sizes, CRLF after each chunk, then the trailer lines up to the empty line. */
    private static Chunked readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            assertThat(sizeLine).as("a chunk size").matches("[0-9a-fA-F]+");
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                break;
            }
            byte[] chunk = in.readNBytes(size);
            assertThat(chunk).hasSize(size);
            body.write(chunk);
            assertThat(readLine(in)).as("CRLF after a chunk").isEmpty();
        }
        List<String> trailers = new CopyOnWriteArrayList<>();
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            trailers.add(line);
        }
        return new Chunked(body.toString(StandardCharsets.ISO_8859_1), List.copyOf(trailers));
    }

    /** One CRLF-terminated line, without its CRLF (fails on EOF or a bare LF). */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            assertThat(c).as("a byte before the end of the line " + line).isNotNegative();
            if (c == '\n') {
                assertThat(line).as("CRLF, not a bare LF").endsWith("\r");
                return line.substring(0, line.length() - 1);
            }
            line.append((char) c);
        }
    }
}
