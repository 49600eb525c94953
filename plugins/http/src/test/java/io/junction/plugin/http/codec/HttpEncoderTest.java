package io.junction.plugin.http.codec;

import static io.junction.plugin.http.codec.Transcript.describe;
import static io.junction.plugin.http.codec.Transcript.feed;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpEncoderTest {

    private static String written(java.util.function.Consumer<ByteBuf> write) {
        ByteBuf out = Unpooled.buffer();
        try {
            write.accept(out);
            return out.toString(ISO_8859_1);
        } finally {
            out.release();
        }
    }

    /** Fields held as Strings, as Junction adds them. */
    static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    @Test
    void aRequestHeadIsWrittenInHttp11WithItsFieldsInOrder() {
        assertThat(written(out -> HttpEncoder.writeRequestHead(out, "GET", "/a?b=c",
                headers("Host", "example.com", "x-Mixed", "caf\u00e9", "Accept", "*/*", "X-Empty", ""))))
                .isEqualTo("GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nx-Mixed: caf\u00e9\r\nAccept: */*\r\nX-Empty: \r\n\r\n");
    }

    @Test
    void aResponseHeadIsWrittenWithItsVersion() {
        assertThat(written(out -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_0, 404, "Not Found",
                headers("Content-Length", "0")))).isEqualTo("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assertThat(written(out -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "", new HttpHeaders())))
                .isEqualTo("HTTP/1.1 200 \r\n\r\n");
    }

    @Test
    void chunksAreSizedInHexAndTheirDataLeftAsItWas() {
        ByteBuf data = Unpooled.copiedBuffer("0123456789abcdefXYZ", ISO_8859_1).skipBytes(2);
        assertThat(written(out -> HttpEncoder.writeChunk(out, data))).isEqualTo("11\r\n23456789abcdefXYZ\r\n");
        assertThat(data.readerIndex()).isEqualTo(2);
        assertThat(data.refCnt()).isEqualTo(1);
        data.release();
    }

    @Test
    void anEmptyChunkIsNotWrittenAsItWouldEndTheBody() {
        assertThat(written(out -> HttpEncoder.writeChunk(out, Unpooled.EMPTY_BUFFER))).isEmpty();
    }

    @Test
    void theLastChunkCarriesTheTrailers() {
        assertThat(written(out -> HttpEncoder.writeLastChunk(out, new HttpHeaders()))).isEqualTo("0\r\n\r\n");
        assertThat(written(out -> HttpEncoder.writeLastChunk(out, headers("Checksum", "abc", "T", "1"))))
                .isEqualTo("0\r\nChecksum: abc\r\nT: 1\r\n\r\n");
    }

    @Test
    void whatCouldNotBeReadBackAsWrittenIsRefused() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "/", headers("X", "a\r\nInjected: 1")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "/", headers("X", "a\nb")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "/", headers("X", "\u0000")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "/", headers("X", "\u20ac")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "/", headers("Bad Name", "v")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "/", headers("", "v")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GE T", "/", new HttpHeaders()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "/a b", new HttpHeaders()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeRequestHead(out, "GET", "", new HttpHeaders()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "O\r\nK", new HttpHeaders()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 99, "", new HttpHeaders()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> HttpEncoder.writeLastChunk(out, headers("T", "\r")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(out.readableBytes()).as("nothing written by a refused call").isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void chunkSizesAreLowerCaseHexWithoutLeadingZeros() {
        for (int size : new int[] {1, 9, 10, 15, 16, 255, 256, 4096, 65535, 65536, 1 << 20}) {
            ByteBuf data = Unpooled.wrappedBuffer(new byte[size]);
            String written = written(out -> HttpEncoder.writeChunk(out, data));
            assertThat(written).startsWith(Integer.toHexString(size) + "\r\n").hasSize(Integer.toHexString(size).length() + size + 4);
        }
    }

    @Test
    void headsOfAnySizeAreWrittenWhole() {
        for (int fields : new int[] {1, 60, 600}) {
            HttpHeaders headers = new HttpHeaders();
            StringBuilder expected = new StringBuilder("POST /upload HTTP/1.1\r\n");
            for (int i = 0; i < fields; i++) {
                String value = "v".repeat(i % 50) + i;
                headers.add("X-Field-" + i, value);
                expected.append("X-Field-").append(i).append(": ").append(value).append("\r\n");
            }
            expected.append("\r\n");
            assertThat(written(out -> HttpEncoder.writeRequestHead(out, "POST", "/upload", headers))).isEqualTo(expected.toString());
        }
        assertThat(written(out -> HttpEncoder.writeRequestHead(out, "GET", "/", headers("A", "1"))))
                .as("a small head after a large one").isEqualTo("GET / HTTP/1.1\r\nA: 1\r\n\r\n");
    }

    @Test
    void decodedFieldsAreCopiedAsTheyCameAndEditedOnesCheckedAgain() {
        HttpHeaders headers = new HttpHeaders();
        HttpHeadersTest.addDecoded(headers, "X-Obs", "caf\u00e9\tna\u00efve");
        HttpHeadersTest.addDecoded(headers, "Host", "example.com");
        assertThat(written(out -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "OK", headers)))
                .isEqualTo("HTTP/1.1 200 OK\r\nX-Obs: caf\u00e9\tna\u00efve\r\nHost: example.com\r\n\r\n");
        headers.set("Host", "a\r\nInjected: 1");
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "OK", headers))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("not a field value character in Host: 0xd");
            HttpHeaders copied = new HttpHeaders().addFrom(headers, 1);
            assertThatThrownBy(() -> HttpEncoder.writeLastChunk(out, copied)).isInstanceOf(IllegalArgumentException.class);
            assertThat(out.readableBytes()).isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void linesReadAsBytesAreSentAsReadAroundEditedAndAddedFields() {
        HttpHeaders section = new HttpHeaders();
        String[] fields = {"Server", "nginx", "Date", "Thu, 26 Nov 2026 10:00:00 GMT", "Connection", "keep-alive", "X-Obs",
            "caf\u00e9\tna\u00efve", "Content-Length", "5", "ETag", "\"abc\""};
        for (int i = 0; i < fields.length; i += 2) {
            HttpHeadersTest.addDecoded(section, fields[i], fields[i + 1]);
        }
        assertThat(written(out -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "OK", section)))
                .isEqualTo("HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Thu, 26 Nov 2026 10:00:00 GMT\r\nConnection: keep-alive\r\n"
                        + "X-Obs: caf\u00e9\tna\u00efve\r\nContent-Length: 5\r\nETag: \"abc\"\r\n\r\n");
        HttpHeaders copy = new HttpHeaders();
        for (int i = 0; i < section.size(); i++) {
            if (!section.nameIs(i, "connection")) {
                copy.addFrom(section, i);
            }
        }
        copy.set("content-length", "7");
        copy.add("Via", "1.1 junction");
        assertThat(written(out -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "OK", copy)))
                .as("a removed line and an edited one break the runs of lines copied as they are")
                .isEqualTo("HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Thu, 26 Nov 2026 10:00:00 GMT\r\nX-Obs: caf\u00e9\tna\u00efve\r\n"
                        + "content-length: 7\r\nETag: \"abc\"\r\nVia: 1.1 junction\r\n\r\n");
        copy.set("ETag", "bad\nvalue");
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, "OK", copy))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("not a field value character in ETag: 0xa");
            assertThat(out.readableBytes()).isZero();
        } finally {
            out.release();
        }
    }

    // ---- round trips: decode, encode, decode again ----

    /** Re-encodes the decoded messages as the proxy does: same head, body re-chunked, extensions gone. */
    private static String reencode(List<Object> messages) {
        ByteBuf out = Unpooled.buffer();
        try {
            boolean chunked = false;
            for (Object message : messages) {
                if (message instanceof RequestHead head) {
                    chunked = head.framing() == BodyFraming.CHUNKED;
                    HttpEncoder.writeRequestHead(out, head.method(), head.target(), head.headers());
                } else if (message instanceof ResponseHead head) {
                    chunked = head.framing() == BodyFraming.CHUNKED;
                    HttpEncoder.writeResponseHead(out, head.version(), head.status(), head.reason(), head.headers());
                } else if (message instanceof BodyChunk chunk) {
                    write(out, chunk.content(), chunked);
                } else if (message instanceof LastBodyChunk last) {
                    write(out, last.content(), chunked);
                    if (chunked) {
                        HttpEncoder.writeLastChunk(out, last.trailers());
                    }
                }
            }
            return out.toString(ISO_8859_1);
        } finally {
            out.release();
        }
    }

    private static void write(ByteBuf out, ByteBuf content, boolean chunked) {
        if (chunked) {
            HttpEncoder.writeChunk(out, content);
        } else {
            out.writeBytes(content, content.readerIndex(), content.readableBytes());
        }
    }

    private static List<Object> decodeRequests(String text) {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder(HttpLimits.defaults()));
        List<Object> messages = feed(channel, text);
        channel.finishAndReleaseAll();
        return messages;
    }

    private static List<Object> decodeResponses(String text, String... methods) {
        ResponseDecoder decoder = new ResponseDecoder(HttpLimits.defaults());
        for (String method : methods) {
            decoder.expect(method);
        }
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<Object> messages = feed(channel, text);
        channel.finishAndReleaseAll();
        return messages;
    }

    @Test
    void requestsSurviveARoundTrip() {
        String requests = "POST /up?x=1 HTTP/1.1\r\nHost:example.com \r\nTransfer-Encoding: chunked\r\nX-Obs: caf\u00e9\r\n\r\n"
                + "5;ext=\"v\"\r\nhello\r\n1;a;b=c\r\n!\r\n0\r\nChecksum:  abc\r\n\r\n"
                + "PUT /p HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\ndata"
                + "GET http://a:8080/b HTTP/1.0\r\nHost: a:8080\r\n\r\n";
        List<Object> first = decodeRequests(requests);
        String encoded = reencode(first);
        assertThat(encoded).startsWith("POST /up?x=1 HTTP/1.1\r\nHost: example.com\r\n")
                .contains("5\r\nhello\r\n1\r\n!\r\n0\r\nChecksum: abc\r\n\r\n")
                .contains("GET http://a:8080/b HTTP/1.1\r\n");
        List<Object> second = decodeRequests(encoded);
        assertThat(second.get(0)).isEqualTo(first.get(0));
        assertThat(second.get(2)).isEqualTo(first.get(2));
        List<String> before = describe(first);
        List<String> after = describe(second);
        assertThat(after.subList(0, 4)).isEqualTo(before.subList(0, 4));
        assertThat(after.get(4)).isEqualTo(before.get(4).replace("HTTP_1_0", "HTTP_1_1"));
        assertThat(after).noneMatch(line -> line.startsWith("error"));
    }

    @Test
    void responsesSurviveARoundTrip() {
        String responses = "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"
                + "3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n"
                + "HTTP/1.0 404 \r\nContent-Length: 2\r\n\r\nno";
        List<Object> first = decodeResponses(responses, "POST", "GET");
        String encoded = reencode(first);
        List<Object> second = decodeResponses(encoded, "POST", "GET");
        for (int i = 0; i < first.size(); i++) {
            if (first.get(i) instanceof ResponseHead head) {
                assertThat(second.get(i)).isEqualTo(head);
            }
        }
        assertThat(describe(second)).isEqualTo(describe(first)).hasSize(6);
    }

    @Test
    void aMessageWithoutBodyEndsWithAnEmptyLastChunkThatCanBeReleased() {
        List<Object> messages = decodeRequests("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(messages).hasSize(2);
        LastBodyChunk last = (LastBodyChunk) messages.get(1);
        assertThat(last.content().readableBytes()).isZero();
        assertThat(last.trailers().isEmpty()).isTrue();
        ReferenceCountUtil.release(last);
    }
}
