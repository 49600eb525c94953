package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
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
 * Bad and hop-by-hop responses from an HTTP/1.1 backend, through the real distribution: a keep-alive
 * raw backend answers one path with a malformed response (most followed by bytes shaped like a second,
 * smuggled response), and the tests check what the client gets, that Junction closes that backend
 * connection and that the next request goes over a new one.
 *
 * <p>Junction runs with one event loop, so its backend pool is a single one: with requests sent one
 * after another it holds at most one idle connection, and "the next request opened a new backend
 * connection" is exact rather than a matter of which loop a client landed on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ResponseFramingIT {

    /** Shaped like a second response: whoever reads it as one would hand "EVIL!" to a client. */
    private static final String SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nEVIL!";
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);

    private Path work;
    private ScriptedBackend backend;
    private JunctionProcess junction;
    private int port;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("response-framing-it");
        backend = ScriptedBackend.refusingBodies();
        port = Net.freePort();
        junction = JunctionProcess.startReady(work, "run", "--event-loops", "1", "-c", Configs.write(work, "framing.json", """
                { "pipelines": [
                    { "name": "framing", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "maxHeaderSize": "2KB" }, "upstream": "raw" } ],
                  "upstreams": [ { "name": "raw", "endpoints": [ "127.0.0.1:%d" ] } ] }
                """.formatted(port, backend.port())).toString());
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {junction, backend}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    static Stream<Arguments> malformedResponses() {
        return Stream.of(
                Arguments.of("two Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 45\r\n\r\nhello",
                        "multiple-content-length"),
                Arguments.of("Content-Length and chunked", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n0\r\n\r\n", "both-content-length-and-transfer-encoding"),
                Arguments.of("chunked not last", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        "invalid-transfer-encoding"),
                Arguments.of("malformed chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
                        "invalid-chunk-size"),
                Arguments.of("obs-fold", "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 5\r\n\r\nhello", "obs-fold"),
                Arguments.of("bare LF", "HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 5\r\n\r\nhello", "bare-lf"),
                Arguments.of("control character in a name", "HTTP/1.1 200 OK\r\nX-Bad\u0001Name: v\r\nContent-Length: 5\r\n\r\nhello",
                        "invalid-header-name"),
                Arguments.of("header section over maxHeaderSize", "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(3000)
                        + "\r\nContent-Length: 5\r\n\r\nhello", "header-too-large"));
    }

    /**
     * The malformed response (and the smuggled one behind it) never reaches the client, which gets
     * 502 {@code invalid-response} (or, when only the body is bad, the valid head and then a cut); the
     * backend connection is closed, Junction logs the precise violation, and the next request opens a new one.
     */
    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("malformedResponses")
    void aMalformedResponseNeverReachesTheClientAndItsBackendConnectionIsClosedNotReused(String name, String response, String reason) throws Exception {
        String slug = name.replaceAll("[^A-Za-z]+", "-").toLowerCase(Locale.ROOT);
        String bad = "/bad/" + slug;
        backend.respond(bad, response + SMUGGLED);

        String warm = exchange("/good/before-" + slug);
        assertThat(warm).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok");
        ScriptedBackend.Connection warmConnection = backend.servedBy("/good/before-" + slug);

        String answer = exchange(bad);
        assertThat(answer).doesNotContain("EVIL").doesNotContain("hello");
        if (reason.startsWith("invalid-chunk")) {
            // The head was valid and is already on its way when the body goes bad: no 502 can follow it, the
            // response is cut instead, and the client can tell it is incomplete (no last chunk before the close).
            assertThat(answer).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\ntransfer-encoding: chunked\r\n")
                    .doesNotEndWith("0\r\n\r\n");
        } else {
            assertThat(answer).startsWith("HTTP/1.1 502 ").containsIgnoringCase("\r\nx-junction-error: invalid-response\r\n");
        }
        ScriptedBackend.Connection served = backend.servedBy(bad);
        assertThat(served.id).as("the bad response came over the pooled connection the warm-up left").isEqualTo(warmConnection.id);
        assertThat(served.awaitClosed(CLOSE_WITHIN)).as("Junction closed the backend connection that answered badly").isTrue();
        junction.awaitOutput(" for GET " + bad + " from ", Duration.ofSeconds(10)); // the error's log line, with its reason
        assertThat(junction.output()).containsPattern(" for GET " + java.util.regex.Pattern.quote(bad) + " from [^\n]*, endpoint [^\n]*: "
                + java.util.regex.Pattern.quote(reason));

        int accepted = backend.accepted();
        String after = exchange("/good/after-" + slug);
        assertThat(after).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok").doesNotContain("EVIL");
        ScriptedBackend.Connection next = backend.servedBy("/good/after-" + slug);
        assertThat(next.id).as("the next request is not sent over the bad connection").isNotEqualTo(served.id);
        assertThat(backend.accepted()).as("the next request opened a new backend connection").isEqualTo(accepted + 1);
        assertThat(served.requests()).as("the bad connection carried nothing after its bad response")
                .endsWith("GET /good/before-" + slug, "GET " + bad);
        assertThat(served.receivedFrom("GET " + bad + " HTTP/1.1\r\n")).as("every byte the bad connection received from its bad request on")
                .endsWith("\r\n\r\n").containsOnlyOnce("\r\n\r\n");
    }

    /**
     * A response whose Content-Length ends before the bytes the backend sends: the response is the
     * first Content-Length bytes, what follows is never taken for a response, and the connection ends.
     */
    @Test
    void bytesAfterAContentLengthBodyNeverReachTheClientAndTheConnectionIsNotReused() throws Exception {
        backend.respond("/short", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloJUNK-AFTER-THE-BODY\r\n" + SMUGGLED);

        exchange("/good/before-short");
        ScriptedBackend.Connection warmConnection = backend.servedBy("/good/before-short");

        String answer = exchange("/short");
        assertThat(answer).doesNotContain("JUNK").doesNotContain("EVIL");
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nhello");
        ScriptedBackend.Connection served = backend.servedBy("/short");
        assertThat(served.id).isEqualTo(warmConnection.id);
        assertThat(served.awaitClosed(CLOSE_WITHIN)).as("Junction closed the backend connection that sent extra bytes").isTrue();

        int accepted = backend.accepted();
        String after = exchange("/good/after-short");
        assertThat(after).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok").doesNotContain("EVIL").doesNotContain("JUNK");
        assertThat(backend.servedBy("/good/after-short").id).isNotEqualTo(served.id);
        assertThat(backend.accepted()).as("the next request opened a new backend connection").isEqualTo(accepted + 1);
        assertThat(served.requests()).as("the connection carried nothing after the short response")
                .endsWith("GET /good/before-short", "GET /short");
        assertThat(served.receivedFrom("GET /short HTTP/1.1\r\n")).endsWith("\r\n\r\n").containsOnlyOnce("\r\n\r\n");
    }

    /**
     * Hop-by-hop fields of a response (RFC 9110 7.6.1) stop at Junction: Connection and what it names,
     * Keep-Alive, Proxy-Connection, and Upgrade without a 101; end-to-end fields pass. The well-formed
     * response leaves its connection pooled: the second request reuses it (the reuse the other tests
     * show does not happen after a bad response).
     */
    @Test
    void hopByHopResponseFieldsAreRemovedAndEndToEndOnesKept() throws Exception {
        String hop = "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Foo\r\nX-Foo: secret\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\nUpgrade: something\r\nX-Kept: yes\r\nContent-Length: 2\r\n\r\nok";
        for (int i = 0; i < 2; i++) {
            backend.respond("/hop/" + i, hop);
            String response = exchange("/hop/" + i);
            String head = response.substring(0, response.indexOf("\r\n\r\n") + 4).toLowerCase(Locale.ROOT);
            assertThat(response).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok");
            assertThat(head).contains("\r\nx-kept: yes\r\n");
            assertThat(head).doesNotContain("x-foo", "secret", "\r\nkeep-alive:", "timeout=5", "proxy-connection", "upgrade",
                    "something");
        }
        assertThat(backend.servedBy("/hop/1").id).as("a well-formed response leaves its connection reusable")
                .isEqualTo(backend.servedBy("/hop/0").id);
        assertThat(backend.servedBy("/hop/0").closed.getCount()).as("and open").isEqualTo(1);
    }

    /** One request on a new client connection that asks to be closed after it; everything the client receives. */
    private String exchange(String target) throws IOException {
        try (Socket socket = Net.connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: framing.test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(bytes);
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
