package io.junction.plugin.http.codec;

import static io.junction.plugin.http.codec.Transcript.describe;
import static io.junction.plugin.http.codec.Transcript.feed;
import static io.junction.plugin.http.codec.Transcript.feedBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestDecoderTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";

    private EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder(HttpLimits.defaults()));

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private List<String> decode(String... pieces) {
        return describe(feed(channel, pieces));
    }

    private static List<Object> decodeOne(String request) {
        EmbeddedChannel own = new EmbeddedChannel(new RequestDecoder(HttpLimits.defaults()));
        List<Object> messages = feed(own, request);
        own.finishAndReleaseAll();
        return messages;
    }

    private static RequestHead head(String request) {
        List<Object> messages = decodeOne(request);
        assertThat(messages.get(0)).isInstanceOf(RequestHead.class);
        describe(messages);
        return (RequestHead) messages.get(0);
    }

    // ---- well-formed requests ----

    @Test
    void connectionsDecodedOnOneThreadKeepTheirOwnFieldsWhenAHeadArrivesInPieces() {
        // Each section's lines are gathered in the thread's scratch block and moved out of it before
        // the decoder returns; a head still incomplete must not be overwritten by another connection's.
        EmbeddedChannel other = new EmbeddedChannel(new RequestDecoder(HttpLimits.defaults()));
        try {
            List<Object> first = feed(channel, "GET /a HTTP/1.1\r\nHost: first.example\r\nX-One: 1\r\nX-Tw");
            assertThat(first).isEmpty();
            assertThat(describe(feed(other, "GET /b HTTP/1.1\r\nHost: second.example\r\nX-Three: three\r\nX-Four: 4\r\n\r\n")))
                    .containsExactly("request GET /b HTTP_1_1 NONE -1 [Host: second.example, X-Three: three, X-Four: 4]", "end '' []");
            assertThat(decode("o: 2\r\nX-Five: five\r\n\r\n")).containsExactly(
                    "request GET /a HTTP_1_1 NONE -1 [Host: first.example, X-One: 1, X-Two: 2, X-Five: five]", "end '' []");
            assertThat(describe(feed(other, "GET /c HTTP/1.1\r\nHost: third.example\r\n\r\n")))
                    .containsExactly("request GET /c HTTP_1_1 NONE -1 [Host: third.example]", "end '' []");
        } finally {
            other.finishAndReleaseAll();
        }
    }

    @Test
    void aRequestWithoutBodyIsAHeadAndAnEmptyEnd() {
        assertThat(decode(GET)).containsExactly(
                "request GET / HTTP_1_1 NONE -1 [Host: example.com]",
                "end '' []");
    }

    @Test
    void aContentLengthBodyEndsAfterThatManyBytes() {
        assertThat(decode("POST /submit?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")).containsExactly(
                "request POST /submit?x=1 HTTP_1_1 CONTENT_LENGTH 5 [Host: a, Content-Length: 5]",
                "end 'hello' []");
    }

    @Test
    void aZeroContentLengthKeepsItsFramingAndEndsAtOnce() {
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")).containsExactly(
                "request POST / HTTP_1_1 CONTENT_LENGTH 0 [Host: a, Content-Length: 0]",
                "end '' []");
    }

    @Test
    void leadingZerosAndTheLargestLengthAreDigitsToo() {
        assertThat(head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n").contentLength()).isEqualTo(7);
        assertThat(head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n").contentLength())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aChunkedBodyLosesItsExtensionsAndKeepsItsTrailers() {
        assertThat(decode("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value;flag\r\nhello\r\n"
                + "6 ; quoted = \"a \\\"b\\\" c\"\r\n world\r\n"
                + "0;last\r\nChecksum: abc\r\nX-Other:  two words \r\n\r\n")).containsExactly(
                "request POST /up HTTP_1_1 CHUNKED -1 [Host: a, Transfer-Encoding: chunked]",
                "end 'hello world' [Checksum: abc, X-Other: two words]");
    }

    @Test
    void transferEncodingChunkedIsCaseInsensitive() {
        assertThat(head("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  ChUnKeD \r\n\r\n0\r\n\r\n").framing())
                .isEqualTo(BodyFraming.CHUNKED);
    }

    @Test
    void chunkSizesAreHexOfAnyCaseUpTo16Digits() {
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "000000000000000A\r\n0123456789\r\nb\r\nabcdefghijk\r\n000\r\n\r\n")).containsExactly(
                "request POST / HTTP_1_1 CHUNKED -1 [Host: a, Transfer-Encoding: chunked]",
                "end '0123456789abcdefghijk' []");
    }

    @Test
    void anHttp10RequestNeedsNoHost() {
        assertThat(decode("GET /old HTTP/1.0\r\n\r\n")).containsExactly(
                "request GET /old HTTP_1_0 NONE -1 []",
                "end '' []");
    }

    @Test
    void emptyLinesBeforeARequestLineAreIgnored() {
        assertThat(decode("\r\n\r\n" + GET)).containsExactly(
                "request GET / HTTP_1_1 NONE -1 [Host: example.com]",
                "end '' []");
    }

    @Test
    void anAbsoluteFormTargetIsKeptAsReceived() {
        assertThat(head("GET http://example.com:8080/a?b HTTP/1.1\r\nHost: example.com:8080\r\n\r\n").target())
                .isEqualTo("http://example.com:8080/a?b");
        assertThat(head("GET https://[::1]/ HTTP/1.1\r\nHost: [::1]\r\n\r\n").target()).isEqualTo("https://[::1]/");
    }

    @Test
    void theAsteriskFormIsForOptions() {
        assertThat(head("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").target()).isEqualTo("*");
    }

    @Test
    void fieldValuesLoseSurroundingWhitespaceAndKeepObsTextAndNamesTheirCase() {
        RequestHead head = head("GET / HTTP/1.1\r\nhOsT: a\r\nX-Text:\t caf\u00e9 \t\r\nX-Empty:\r\nX-Empty:   \r\n\r\n");
        assertThat(head.headers().toString()).isEqualTo("[hOsT: a, X-Text: caf\u00e9, X-Empty: , X-Empty: ]");
        assertThat(head.headers().get("host")).isEqualTo("a");
    }

    @Test
    void validHostsAreAccepted() {
        for (String host : List.of("example.com", "example.com:80", "127.0.0.1:8080", "[::1]", "[2001:db8::7]:443",
                "xn--bcher-kva.example", "a_b-c.~d", "[v1.fe80::a+en1]")) {
            assertThat(head("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").headers().get("host")).isEqualTo(host);
        }
    }

    @Test
    void keepAliveFollowsTheVersionAndConnection() {
        assertThat(head(GET).keepAlive()).isTrue();
        assertThat(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
        assertThat(head("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
    }

    @Test
    void only11ClientsExpectContinue() {
        assertThat(head("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n").expectsContinue())
                .isTrue();
        assertThat(head("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n").expectsContinue()).isFalse();
        assertThat(head("PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n").expectsContinue()).isFalse();
    }

    // ---- several requests on one connection ----

    @Test
    void pipelinedRequestsInOneBufferComeOutInOrder() {
        assertThat(decode(GET
                + "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "POST /b HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
                + "\r\nDELETE /c HTTP/1.1\r\nHost: c\r\n\r\n")).containsExactly(
                "request GET / HTTP_1_1 NONE -1 [Host: example.com]",
                "end '' []",
                "request POST /a HTTP_1_1 CONTENT_LENGTH 3 [Host: a, Content-Length: 3]",
                "end 'abc' []",
                "request POST /b HTTP_1_1 CHUNKED -1 [Host: b, Transfer-Encoding: chunked]",
                "end 'de' []",
                "request DELETE /c HTTP_1_1 NONE -1 [Host: c]",
                "end '' []");
    }

    @Test
    void aRequestFedAByteAtATimeDecodesTheSame() {
        String requests = "\r\nPOST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "POST /b HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2;x=\"y\"\r\nde\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n" + GET;
        List<String> whole = describe(decodeOne(requests));
        assertThat(whole).hasSize(6).noneMatch(line -> line.startsWith("error"));
        assertThat(describe(feedBytes(channel, requests))).isEqualTo(whole);
    }

    @Test
    void aHeadLongerThanTheLinesWindowDecodesTheSameHoweverItIsSplit() {
        // Lines are copied out of the input a window at a time (512 bytes first): lines that cross the
        // window's end, and one line longer than several windows, must come out the same in any split.
        StringBuilder request = new StringBuilder("GET /").append("p".repeat(700)).append(" HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 40; i++) {
            request.append("X-Field-").append(i).append(": value number ").append(i).append("\r\n");
        }
        request.append("X-Long: ").append("v".repeat(3000)).append("\r\n\r\n");
        String text = request + GET;
        List<String> whole = describe(decodeOne(text));
        assertThat(whole).hasSize(4).noneMatch(line -> line.startsWith("error"));
        assertThat(whole.get(0)).contains("X-Field-39: value number 39, X-Long: " + "v".repeat(3000) + "]");
        for (int piece : new int[] {1, 7, 511, 512, 513, 1500}) {
            EmbeddedChannel split = new EmbeddedChannel(new RequestDecoder(HttpLimits.defaults()));
            List<String> pieces = new java.util.ArrayList<>();
            for (int at = 0; at < text.length(); at += piece) {
                pieces.add(text.substring(at, Math.min(text.length(), at + piece)));
            }
            assertThat(describe(feed(split, pieces.toArray(String[]::new)))).as("pieces of %d bytes", piece).isEqualTo(whole);
            split.finishAndReleaseAll();
        }
    }

    @Test
    void aHostIsCheckedOnEveryRequestOfAConnectionNotOnlyTheFirst() {
        assertThat(decode(GET, GET)).containsExactly(
                "request GET / HTTP_1_1 NONE -1 [Host: example.com]", "end '' []",
                "request GET / HTTP_1_1 NONE -1 [Host: example.com]", "end '' []");
        assertThat(decode("GET / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n")).containsExactly("error 400 invalid-host");
    }

    @Test
    void aLargeBodyIsStreamedAsItArrives() {
        int piece = 64 * 1024;
        int pieces = 160; // 10 MiB
        List<String> head = decode("PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: " + (long) piece * pieces + "\r\n\r\n");
        assertThat(head).containsExactly("request PUT /big HTTP_1_1 CONTENT_LENGTH 10485760 [Host: a, Content-Length: 10485760]");
        long received = 0;
        for (int i = 0; i < pieces; i++) {
            ByteBuf data = Unpooled.buffer(piece).writerIndex(piece);
            channel.writeInbound(data);
            List<Object> out = Transcript.drain(channel);
            assertThat(out).hasSize(1);
            Object message = out.get(0);
            assertThat(message).isInstanceOf(i < pieces - 1 ? BodyChunk.class : LastBodyChunk.class);
            ByteBuf content = message instanceof BodyChunk chunk ? chunk.content() : ((LastBodyChunk) message).content();
            assertThat(content.readableBytes()).isEqualTo(piece);
            received += content.readableBytes();
            ReferenceCountUtil.release(message);
            assertThat(data.refCnt()).as("the piece is not kept once its bytes are passed on").isZero();
        }
        assertThat(received).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void aChunkedBodyIsStreamedWithinAChunk() {
        assertThat(decode("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123")).containsExactly(
                "request POST / HTTP_1_1 CHUNKED -1 [Host: a, Transfer-Encoding: chunked]",
                "partial body '0123'");
        assertThat(decode("4567")).containsExactly("partial body '4567'");
        assertThat(decode("89abcdef\r\n0\r\n\r\n")).containsExactly("end '89abcdef' []");
    }

    // ---- limits ----

    private static final HttpLimits SMALL = new HttpLimits(32, 64, 3, 8);

    private List<String> decodeSmall(String... pieces) {
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new RequestDecoder(SMALL));
        return decode(pieces);
    }

    @Test
    void aRequestLineOfTheLimitIsAcceptedAndOneByteMoreIs414() {
        String path = "/" + "a".repeat(32 - "GET  HTTP/1.1".length() - 1);
        assertThat(decodeSmall("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n")).hasSize(2);
        assertThat(decodeSmall("GET " + path + "b HTTP/1.1\r\nHost: a\r\n\r\n")).containsExactly("error 414 request-line-too-long");
    }

    @Test
    void aNeverEndingRequestLineIsRefusedOnceItPassesTheLimit() {
        assertThat(decodeSmall("GET /" + "a".repeat(28))).isEmpty();
        assertThat(decodeSmall("GET /" + "a".repeat(29))).containsExactly("error 414 request-line-too-long");
    }

    @Test
    void aHeaderSectionOfTheLimitIsAcceptedAndOneByteMoreIs431() {
        String fields = "Host: a\r\nX: " + "v".repeat(64 - 9 - 5) + "\r\n"; // 64 bytes of field lines
        assertThat(fields).hasSize(64);
        assertThat(decodeSmall("GET / HTTP/1.1\r\n" + fields + "\r\n")).hasSize(2);
        assertThat(decodeSmall("GET / HTTP/1.1\r\n" + fields.replace("X:", "XY:") + "\r\n"))
                .containsExactly("error 431 header-too-large");
    }

    @Test
    void aNeverEndingHeaderSectionIsRefusedOnceItPassesTheLimit() {
        assertThat(decodeSmall("GET / HTTP/1.1\r\n", "Host: a\r\n", "X: " + "v".repeat(40))).isEmpty();
        assertThat(decode("v".repeat(20))).containsExactly("error 431 header-too-large");
        assertThat(decode("more\r\n\r\n" + GET)).isEmpty();
    }

    @Test
    void moreFieldsThanTheCountLimitAre431() {
        assertThat(decodeSmall("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n")).hasSize(2);
        assertThat(decodeSmall("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"))
                .containsExactly("error 431 too-many-headers");
    }

    @Test
    void trailersHaveTheSameLimits() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
        assertThat(decodeSmall(head + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n")).hasSize(2);
        assertThat(decodeSmall(head + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n")).last().isEqualTo("error 431 too-many-trailers");
        assertThat(decodeSmall(head + "A: " + "v".repeat(70))).last().isEqualTo("error 431 trailer-too-large");
    }

    @Test
    void chunkExtensionsOfTheLimitAreAcceptedAndLongerAre400() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(decodeSmall(head + "1;abcdefg\r\nx\r\n0\r\n\r\n")).last().isEqualTo("end 'x' []");
        assertThat(decodeSmall(head + "1;abcdefgh\r\nx\r\n0\r\n\r\n")).last().isEqualTo("error 400 chunk-extension-too-long");
        assertThat(decodeSmall(head + "1;" + "a".repeat(30))).last().isEqualTo("error 400 chunk-extension-too-long");
    }

    // ---- violations ----

    private static final String CHUNKED = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    static Stream<Arguments> violations() {
        return Stream.of(
                // request line
                bad("two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-request-line"),
                bad("two spaces before the version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-version"),
                bad("a tab as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-method"),
                bad("a space before the method", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-request-line"),
                bad("a method that is not a token", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-method"),
                bad("no version", "GET /\r\nHost: a\r\n\r\n", 400, "invalid-request-line"),
                bad("no target", "GET HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-request-line"),
                bad("a control character in the target", "GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("a DEL in the target", "GET /a\u007fb HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("obs-text in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("a fragment in the target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("an authority-form target", "GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("a relative target", "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("an asterisk target for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("an absolute target with userinfo", "GET http://u:p@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("an absolute target without host", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("an absolute target of another scheme", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, "invalid-target"),
                bad("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "unsupported-version"),
                bad("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505, "unsupported-version"),
                bad("HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, "unsupported-version"),
                bad("a lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400, "invalid-version"),
                bad("a two-digit minor version", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, "invalid-version"),
                bad("a version without minor", "GET / HTTP/2\r\nHost: a\r\n\r\n", 400, "invalid-version"),
                bad("a space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "invalid-version"),
                bad("garbage", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n", 400, "invalid-request-line"),
                bad("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501, "connect-not-supported"),
                bad("too many empty lines first", "\r\n".repeat(9) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "too-many-empty-lines"),
                // line endings
                bad("a bare LF ending the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400, "bare-lf"),
                bad("a bare LF ending a field line", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", 400, "bare-lf"),
                bad("a bare LF ending the header section", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400, "bare-lf"),
                bad("a bare LF as an empty line first", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bare-lf"),
                bad("a bare CR ending the request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", 400, "bare-cr"),
                bad("a bare CR inside a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400, "bare-cr"),
                bad("CR CR LF", "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", 400, "bare-cr"),
                // field lines
                bad("a space between name and colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "whitespace-before-colon"),
                bad("a tab between name and colon", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 5\r\n\r\nhello", 400,
                        "whitespace-before-colon"),
                bad("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n two\r\n\r\n", 400, "obs-fold"),
                bad("obs-fold with a tab", "GET / HTTP/1.1\r\nHost: a\r\nX: one\r\n\ttwo\r\n\r\n", 400, "obs-fold"),
                bad("whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400, "obs-fold"),
                bad("an empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400, "invalid-header-name"),
                bad("a field name that is not a token", "GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n", 400, "invalid-header-name"),
                bad("a field name with a space inside", "GET / HTTP/1.1\r\nHost: a\r\nX y: v\r\n\r\n", 400, "invalid-header-name"),
                bad("a field line without colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400, "invalid-header-name"),
                bad("a NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n", 400, "invalid-header-value"),
                bad("a control character in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u001bb\r\n\r\n", 400,
                        "invalid-header-value"),
                bad("a DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007f\r\n\r\n", 400, "invalid-header-value"),
                // Host
                bad("an HTTP/1.1 request without Host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400, "missing-host"),
                bad("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, "multiple-host"),
                bad("two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 400, "multiple-host"),
                bad("an empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400, "invalid-host"),
                bad("a Host list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400, "invalid-host"),
                bad("a Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "invalid-host"),
                bad("a Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "invalid-host"),
                bad("a Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, "invalid-host"),
                bad("a Host with a named port", "GET / HTTP/1.1\r\nHost: a:http\r\n\r\n", 400, "invalid-host"),
                bad("a Host with an empty port", "GET / HTTP/1.1\r\nHost: a:\r\n\r\n", 400, "invalid-host"),
                bad("a Host with a port too large", "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", 400, "invalid-host"),
                bad("a Host with an unclosed IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, "invalid-host"),
                bad("a Host with a bad IPv6 literal", "GET / HTTP/1.1\r\nHost: [1::2::3]\r\n\r\n", 400, "invalid-host"),
                bad("a Host with a bare IPv6 address", "GET / HTTP/1.1\r\nHost: ::1\r\n\r\n", 400, "invalid-host"),
                bad("a Host with obs-text", "GET / HTTP/1.1\r\nHost: caf\u00e9\r\n\r\n", 400, "invalid-host"),
                // Content-Length
                bad("a signed Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400,
                        "invalid-content-length"),
                bad("a negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400,
                        "invalid-content-length"),
                bad("a hex Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", 400,
                        "invalid-content-length"),
                bad("a space inside Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400,
                        "invalid-content-length"),
                bad("an empty Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400,
                        "invalid-content-length"),
                bad("a Content-Length list of equal values", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
                        400, "invalid-content-length"),
                bad("two equal Content-Length fields",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400,
                        "multiple-content-length"),
                bad("two different Content-Length fields",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400,
                        "multiple-content-length"),
                bad("a Content-Length beyond 2^63-1",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", 400, "invalid-content-length"),
                bad("a Content-Length far beyond 2^63-1",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400,
                        "invalid-content-length"),
                // Transfer-Encoding
                bad("Transfer-Encoding and Content-Length",
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
                        "both-content-length-and-transfer-encoding"),
                bad("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
                        "transfer-encoding-in-http-1.0"),
                bad("gzip, chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501,
                        "unsupported-transfer-encoding"),
                bad("identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501,
                        "unsupported-transfer-encoding"),
                bad("xchunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 501,
                        "unsupported-transfer-encoding"),
                bad("gzip and chunked in two fields",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", 501,
                        "unsupported-transfer-encoding"),
                bad("chunked, chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400,
                        "invalid-transfer-encoding"),
                bad("chunked in two fields",
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
                        "invalid-transfer-encoding"),
                bad("chunked before another coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                        400, "invalid-transfer-encoding"),
                bad("chunked with a parameter", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", 400,
                        "invalid-transfer-encoding"),
                bad("chunked and an empty element", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked,\r\n\r\n", 400,
                        "invalid-transfer-encoding"),
                bad("an empty Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", 400,
                        "invalid-transfer-encoding"),
                bad("a quoted chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", 400,
                        "invalid-transfer-encoding"),
                // chunked body
                bad("an empty chunk size", CHUNKED + "\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a space before the chunk size", CHUNKED + " 5\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a space after the chunk size", CHUNKED + "5 \r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a 0x chunk size", CHUNKED + "0x5\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a signed chunk size", CHUNKED + "+5\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a negative chunk size", CHUNKED + "-5\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a chunk size that is not hex", CHUNKED + "g\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a chunk size of 17 digits", CHUNKED + "00000000000000005\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-size"),
                bad("a chunk size beyond 2^63-1", CHUNKED + "8000000000000000\r\n", 400, "invalid-chunk-size"),
                bad("a never-ending chunk size", CHUNKED + "1".repeat(5000), 400, "invalid-chunk-size"),
                bad("a chunk extension without name", CHUNKED + "5;\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-extension"),
                bad("a chunk extension without value", CHUNKED + "5;a=\r\nhello\r\n0\r\n\r\n", 400, "invalid-chunk-extension"),
                bad("a chunk extension with a space in its name", CHUNKED + "5;a b\r\nhello\r\n0\r\n\r\n", 400,
                        "invalid-chunk-extension"),
                bad("a chunk extension with trailing whitespace", CHUNKED + "5;a \r\nhello\r\n0\r\n\r\n", 400,
                        "invalid-chunk-extension"),
                bad("an unterminated quoted chunk extension", CHUNKED + "5;a=\"b\r\nhello\r\n0\r\n\r\n", 400,
                        "invalid-chunk-extension"),
                bad("a chunk extension with a control character", CHUNKED + "5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n", 400,
                        "invalid-chunk-extension"),
                bad("a chunk extension longer than the limit", CHUNKED + "5;" + "a".repeat(4096) + "\r\nhello\r\n0\r\n\r\n",
                        400, "chunk-extension-too-long"),
                bad("a never-ending chunk extension", CHUNKED + "5;" + "a".repeat(5000), 400, "chunk-extension-too-long"),
                bad("chunk data longer than its size", CHUNKED + "5\r\nhello!\r\n0\r\n\r\n", 400, "invalid-chunk-end"),
                bad("chunk data ended by a bare LF", CHUNKED + "5\r\nhello\n0\r\n\r\n", 400, "bare-lf"),
                bad("chunk data ended by a bare CR", CHUNKED + "5\r\nhello\rX0\r\n\r\n", 400, "bare-cr"),
                bad("a chunk size ended by a bare LF", CHUNKED + "5\nhello\r\n0\r\n\r\n", 400, "bare-lf"),
                bad("a last chunk ended by a bare LF", CHUNKED + "0\n\r\n", 400, "bare-lf"),
                bad("trailers ended by a bare LF", CHUNKED + "0\r\nT: v\r\n\n", 400, "bare-lf"),
                bad("obs-fold in trailers", CHUNKED + "0\r\nT: v\r\n w\r\n\r\n", 400, "obs-fold"),
                bad("a bad trailer name", CHUNKED + "0\r\nT : v\r\n\r\n", 400, "whitespace-before-colon"),
                bad("a bad trailer value", CHUNKED + "0\r\nT: \u0000\r\n\r\n", 400, "invalid-header-value"));
    }

    private static Arguments bad(String name, String request, int status, String reason) {
        return Arguments.of(name, request, status, reason);
    }

    @ParameterizedTest(name = "{0}: {2} {3}")
    @MethodSource("violations")
    void violationsAreOneErrorAndTheRestIsDiscarded(String name, String request, int status, String reason) {
        List<Object> messages = feed(channel, request);
        Object last = messages.get(messages.size() - 1);
        assertThat(last).isInstanceOf(HttpParseException.class);
        HttpParseException error = (HttpParseException) last;
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.reason()).isEqualTo(reason);
        assertThat(describe(messages)).filteredOn(line -> line.startsWith("error")).hasSize(1);
        assertThat(decode(GET)).as("input after the error is discarded").isEmpty();
    }

    @ParameterizedTest(name = "{0}: {2} {3}")
    @MethodSource("violations")
    void violationsAreFoundTheSameWhenFedAByteAtATime(String name, String request, int status, String reason) {
        List<String> lines = describe(feedBytes(channel, request));
        assertThat(lines).filteredOn(line -> line.startsWith("error")).containsExactly("error " + status + " " + reason);
    }
}
