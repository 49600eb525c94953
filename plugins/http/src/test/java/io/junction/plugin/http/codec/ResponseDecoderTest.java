package io.junction.plugin.http.codec;

import static io.junction.plugin.http.codec.Transcript.describe;
import static io.junction.plugin.http.codec.Transcript.feed;
import static io.junction.plugin.http.codec.Transcript.feedBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResponseDecoderTest {

    private final ResponseDecoder decoder = new ResponseDecoder(HttpLimits.defaults());
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private List<String> decode(String method, String... pieces) {
        decoder.expect(method);
        return describe(feed(channel, pieces));
    }

    private ResponseHead head(String method, String response) {
        decoder.expect(method);
        List<Object> messages = feed(channel, response);
        ResponseHead head = (ResponseHead) messages.get(0);
        describe(messages);
        return head;
    }

    // ---- framing ----

    @Test
    void aContentLengthBodyEndsAfterThatManyBytes() {
        assertThat(decode("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")).containsExactly(
                "response HTTP_1_1 200 'OK' CONTENT_LENGTH 5 [Content-Length: 5]",
                "end 'hello' []");
    }

    @Test
    void aChunkedBodyLosesItsExtensionsAndKeepsItsTrailers() {
        assertThat(decode("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "3;a=b\r\nabc\r\n", "2\r\nde\r\n0\r\nServer-Timing: db;dur=53\r\n\r\n")).containsExactly(
                "response HTTP_1_1 200 'OK' CHUNKED -1 [Transfer-Encoding: chunked]",
                "end 'abcde' [Server-Timing: db;dur=53]");
    }

    @Test
    void aBodyWithoutLengthLastsUntilTheConnectionCloses() {
        assertThat(decode("GET", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome", " more")).containsExactly(
                "response HTTP_1_1 200 'OK' UNTIL_CLOSE -1 [Content-Type: text/plain]",
                "partial body 'some more'");
        channel.finish();
        assertThat(describe(Transcript.drain(channel))).containsExactly("end '' []");
    }

    @Test
    void aBodyCutShortIsATruncatedResponse() {
        assertThat(decode("GET", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")).containsExactly(
                "response HTTP_1_1 200 'OK' CONTENT_LENGTH 10 [Content-Length: 10]",
                "partial body 'hello'");
        channel.finish();
        assertThat(describe(Transcript.drain(channel))).containsExactly("error 502 truncated-response");
    }

    @Test
    void aHeadCutShortIsATruncatedResponse() {
        assertThat(decode("GET", "HTTP/1.1 200 OK\r\nContent-Le")).isEmpty();
        channel.finish();
        assertThat(describe(Transcript.drain(channel))).containsExactly("error 502 truncated-response");
    }

    @Test
    void aStatusLineCutShortIsATruncatedResponse() {
        assertThat(decode("GET", "HTTP/1.1 2")).isEmpty();
        channel.finish();
        assertThat(describe(Transcript.drain(channel))).containsExactly("error 502 truncated-response");
    }

    @Test
    void aChunkedBodyCutShortIsATruncatedResponse() {
        assertThat(decode("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")).hasSize(2);
        channel.finish();
        assertThat(describe(Transcript.drain(channel))).containsExactly("error 502 truncated-response");
    }

    @Test
    void aCloseBetweenResponsesEmitsNothing() {
        assertThat(decode("GET", "HTTP/1.1 204 No Content\r\n\r\n")).hasSize(2);
        decoder.expect("GET");
        channel.finish();
        assertThat(Transcript.drain(channel)).isEmpty();
    }

    @Test
    void aCloseBeforeAnyResponseEmitsNothing() {
        decoder.expect("GET");
        channel.finish();
        assertThat(Transcript.drain(channel)).isEmpty();
    }

    @Test
    void aResponseToHeadHasNoBodyWhateverItsFieldsSay() {
        assertThat(decode("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")).containsExactly(
                "response HTTP_1_1 200 'OK' NONE -1 [Content-Length: 1000]",
                "end '' []");
        assertThat(decode("HEAD", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")).containsExactly(
                "response HTTP_1_1 200 'OK' NONE -1 [Transfer-Encoding: chunked]",
                "end '' []");
    }

    @Test
    void responses204And304HaveNoBody() {
        assertThat(decode("DELETE", "HTTP/1.1 204 No Content\r\n\r\n")).containsExactly(
                "response HTTP_1_1 204 'No Content' NONE -1 []",
                "end '' []");
        assertThat(decode("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\n\r\n")).containsExactly(
                "response HTTP_1_1 304 'Not Modified' NONE -1 [Content-Length: 42]",
                "end '' []");
    }

    @Test
    void interimResponsesEndAtOnceAndTheFinalOneFollows() {
        assertThat(decode("POST", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")).containsExactly(
                "response HTTP_1_1 100 'Continue' NONE -1 []",
                "end '' []",
                "response HTTP_1_1 103 'Early Hints' NONE -1 [Link: </s.css>]",
                "end '' []",
                "response HTTP_1_1 201 'Created' CONTENT_LENGTH 2 [Content-Length: 2]",
                "end 'ok' []");
    }

    @Test
    void afterSwitchingProtocolsBytesPassThroughRaw() {
        assertThat(decode("GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                + "\u0081\u0005hello", "HTTP/1.1 200 not parsed\r\n")).containsExactly(
                "response HTTP_1_1 101 'Switching Protocols' NONE -1 [Upgrade: websocket, Connection: Upgrade]",
                "end '' []",
                "raw '\u0081\u0005hello'",
                "raw 'HTTP/1.1 200 not parsed\r\n'");
    }

    @Test
    void pipelinedResponsesFollowTheAnnouncedMethods() {
        decoder.expect("HEAD");
        decoder.expect("GET");
        decoder.expect("GET");
        assertThat(describe(feed(channel, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                + "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"))).containsExactly(
                "response HTTP_1_1 200 'OK' NONE -1 [Content-Length: 3]",
                "end '' []",
                "response HTTP_1_1 200 'OK' CONTENT_LENGTH 3 [Content-Length: 3]",
                "end 'abc' []",
                "response HTTP_1_0 404 'Not Found' CONTENT_LENGTH 0 [Content-Length: 0]",
                "end '' []");
        assertThat(describe(feed(channel, "HTTP/1.1 200 OK\r\n\r\n"))).containsExactly("error 502 unexpected-response");
    }

    @Test
    void aResponseFedAByteAtATimeDecodesTheSame() {
        String responses = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nwiki\r\n5;x\r\npedia\r\n0\r\nT: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
        decoder.expect("POST");
        decoder.expect("GET");
        assertThat(describe(feedBytes(channel, responses))).containsExactly(
                "response HTTP_1_1 100 'Continue' NONE -1 []",
                "end '' []",
                "response HTTP_1_1 200 'OK' CHUNKED -1 [Transfer-Encoding: chunked]",
                "end 'wikipedia' [T: 1]",
                "response HTTP_1_1 200 'OK' CONTENT_LENGTH 2 [Content-Length: 2]",
                "end 'hi' []");
    }

    @Test
    void anEmptyReasonIsAcceptedAfterItsSpace() {
        assertThat(head("GET", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n").reason()).isEmpty();
        assertThat(head("GET", "HTTP/1.1 599 a\tb \u00e9\r\nContent-Length: 0\r\n\r\n").reason()).isEqualTo("a\tb \u00e9");
    }

    @Test
    void keepAliveFollowsTheVersionConnectionAndFraming() {
        assertThat(head("GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive()).isTrue();
        assertThat(head("GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isTrue();
    }

    @Test
    void aBodyUntilCloseNeverKeepsTheConnection() {
        assertThat(head("GET", "HTTP/1.1 200 OK\r\n\r\n").keepAlive()).isFalse();
    }

    // ---- violations ----

    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    static Stream<Arguments> violations() {
        return Stream.of(
                bad("no space after the status code", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", "invalid-status-line"),
                bad("two spaces before the status code", "HTTP/1.1  200 OK\r\n\r\n", "invalid-status-line"),
                bad("a two-digit status code", "HTTP/1.1 20 OK\r\n\r\n", "invalid-status-line"),
                bad("a status code with a letter", "HTTP/1.1 2x0 OK\r\n\r\n", "invalid-status-line"),
                bad("a status code below 100", "HTTP/1.1 099 Odd\r\n\r\n", "invalid-status"),
                bad("a status code above 599", "HTTP/1.1 600 Odd\r\n\r\n", "invalid-status"),
                bad("HTTP/2.0", "HTTP/2.0 200 OK\r\n\r\n", "unsupported-version"),
                bad("a lower-case version", "http/1.1 200 OK\r\n\r\n", "invalid-version"),
                bad("garbage", "SSH-2.0-OpenSSH_9.6\r\n", "invalid-status-line"),
                bad("an empty line first", "\r\nHTTP/1.1 200 OK\r\n\r\n", "invalid-status-line"),
                bad("a control character in the reason", "HTTP/1.1 200 O\u0000K\r\n\r\n", "invalid-reason"),
                bad("a bare LF ending the status line", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "bare-lf"),
                bad("a bare LF ending a field line", "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n", "bare-lf"),
                bad("a bare CR", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", "bare-cr"),
                bad("obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", "obs-fold"),
                bad("a space between name and colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", "whitespace-before-colon"),
                bad("a NUL in a value", "HTTP/1.1 200 OK\r\nX: \u0000\r\n\r\n", "invalid-header-value"),
                bad("a header section too large", "HTTP/1.1 200 OK\r\nX: " + "v".repeat(20000), "header-too-large"),
                bad("too many fields", "HTTP/1.1 200 OK\r\n" + "X: v\r\n".repeat(101) + "\r\n", "too-many-headers"),
                bad("a status line too long", "HTTP/1.1 200 " + "O".repeat(9000), "status-line-too-long"),
                bad("Transfer-Encoding and Content-Length",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
                        "both-content-length-and-transfer-encoding"),
                bad("Transfer-Encoding and Content-Length in a 204",
                        "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                        "both-content-length-and-transfer-encoding"),
                bad("Transfer-Encoding in HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "transfer-encoding-in-http-1.0"),
                bad("gzip, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "unsupported-transfer-encoding"),
                bad("chunked, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
                        "invalid-transfer-encoding"),
                bad("chunked before another coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                        "invalid-transfer-encoding"),
                bad("identity", "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", "unsupported-transfer-encoding"),
                bad("an invalid Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n", "invalid-content-length"),
                bad("an invalid Content-Length in a 304", "HTTP/1.1 304 Not Modified\r\nContent-Length: -1\r\n\r\n",
                        "invalid-content-length"),
                bad("two Content-Length fields", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
                        "multiple-content-length"),
                bad("a Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 1,1\r\n\r\nx", "invalid-content-length"),
                bad("a signed Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx", "invalid-content-length"),
                bad("a Content-Length with a space inside", "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\nx", "invalid-content-length"),
                bad("a Content-Length beyond 2^63-1", "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\nx",
                        "invalid-content-length"),
                bad("a control character in a field name", "HTTP/1.1 200 OK\r\nX\u0001Y: v\r\n\r\n", "invalid-header-name"),
                bad("a 0x chunk size", CHUNKED + "0x1\r\nx\r\n0\r\n\r\n", "invalid-chunk-size"),
                bad("a chunk size with a trailing space", CHUNKED + "1 \r\nx\r\n0\r\n\r\n", "invalid-chunk-size"),
                bad("a chunk size beyond 2^63-1", CHUNKED + "ffffffffffffffff\r\n", "invalid-chunk-size"),
                bad("a bad chunk extension", CHUNKED + "1;=x\r\nx\r\n0\r\n\r\n", "invalid-chunk-extension"),
                bad("chunk data without CRLF", CHUNKED + "1\r\nxy\r\n0\r\n\r\n", "invalid-chunk-end"),
                bad("chunk data ended by a bare LF", CHUNKED + "1\r\nx\n0\r\n\r\n", "bare-lf"),
                bad("obs-fold in trailers", CHUNKED + "0\r\nT: 1\r\n\t2\r\n\r\n", "obs-fold"));
    }

    private static Arguments bad(String name, String response, String reason) {
        return Arguments.of(name, response, reason);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("violations")
    void violationsAreOne502ErrorAndTheRestIsDiscarded(String name, String response, String reason) {
        decoder.expect("GET");
        decoder.expect("GET");
        List<String> lines = describe(feed(channel, response));
        assertThat(lines).filteredOn(line -> line.startsWith("error")).containsExactly("error 502 " + reason);
        assertThat(lines).last().matches(line -> line.startsWith("error") || line.startsWith("partial"));
        assertThat(describe(feed(channel, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("violations")
    void violationsAreFoundTheSameWhenFedAByteAtATime(String name, String response, String reason) {
        decoder.expect("GET");
        List<String> lines = describe(feedBytes(channel, response));
        assertThat(lines).filteredOn(line -> line.startsWith("error")).containsExactly("error 502 " + reason);
    }
}
