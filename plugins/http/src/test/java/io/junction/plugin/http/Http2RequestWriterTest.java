package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests as HTTP/2 frames on a stream: pseudo-headers, no connection-specific fields, END_STREAM where the request ends. */
class Http2RequestWriterTest {

    private final Http2ResponseReader reader = new Http2ResponseReader();
    private final BackendConnection connection = BackendConnection.stream(new TestEndpoint("127.0.0.1", 1),
            c -> new Http2RequestWriter(c, reader, false), 60_000);
    private final EmbeddedChannel stream = new EmbeddedChannel(connection);

    @AfterEach
    void noBufferLeft() {
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    private static RequestHead request(String method, BodyFraming framing, long length, String... fields) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < fields.length; i += 2) {
            headers.add(fields[i], fields[i + 1]);
        }
        return new RequestHead(method, "/x?y=1", HttpVersion.HTTP_1_1, headers, framing, length);
    }

    /** The headers Junction forwards: end-to-end fields with Host set, as ClientConnection passes them. */
    private static HttpHeaders forwarded(RequestHead request) {
        HttpHeaders headers = ForwardingHeaders.endToEnd(request.headers());
        headers.set("Host", request.headers().get("host"));
        return headers;
    }

    @Test
    void aRequestWithoutBodyIsOneHeadersFrameThatEndsTheStream() {
        RequestHead get = request("GET", BodyFraming.NONE, -1, "Host", "shop.example", "Connection", "keep-alive",
                "Keep-Alive", "timeout=5", "TE", "gzip, trailers", "X-Custom", "A", "Upgrade", "h2c");
        connection.writer().writeHead(get, "/x?y=1", forwarded(get), false);
        connection.writer().writeEnd(Unpooled.EMPTY_BUFFER, new HttpHeaders());
        Http2HeadersFrame frame = stream.readOutbound();
        assertThat(frame.isEndStream()).isTrue();
        assertThat(frame.headers().method().toString()).isEqualTo("GET");
        assertThat(frame.headers().scheme().toString()).isEqualTo("http");
        assertThat(frame.headers().authority().toString()).isEqualTo("shop.example");
        assertThat(frame.headers().path().toString()).isEqualTo("/x?y=1");
        assertThat(frame.headers().get("x-custom").toString()).isEqualTo("A");
        assertThat(frame.headers().get("te").toString()).isEqualTo("trailers");
        for (String refused : new String[] {"host", "connection", "keep-alive", "upgrade", "transfer-encoding", "content-length"}) {
            assertThat(frame.headers().contains(refused)).as(refused).isFalse();
        }
        assertThat((Object) stream.readOutbound()).isNull();
    }

    @Test
    void aBodyIsDataFramesAndItsEndCarriesEndStream() {
        RequestHead post = request("POST", BodyFraming.CONTENT_LENGTH, 5, "Host", "a", "Content-Length", "5");
        connection.writer().writeHead(post, "/up", forwarded(post), false);
        connection.writer().writeBody(Unpooled.copiedBuffer("hel", StandardCharsets.US_ASCII));
        connection.writer().writeEnd(Unpooled.copiedBuffer("lo", StandardCharsets.US_ASCII), new HttpHeaders());
        Http2HeadersFrame head = stream.readOutbound();
        assertThat(head.isEndStream()).isFalse();
        assertThat(head.headers().get("content-length").toString()).isEqualTo("5");
        Http2DataFrame first = stream.readOutbound();
        Http2DataFrame last = stream.readOutbound();
        assertThat(first.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hel");
        assertThat(first.isEndStream()).isFalse();
        assertThat(last.content().toString(StandardCharsets.US_ASCII)).isEqualTo("lo");
        assertThat(last.isEndStream()).isTrue();
        first.release();
        last.release();
    }

    @Test
    void trailersEndTheStreamInATrailingHeadersFrameWithoutForbiddenFields() {
        RequestHead post = request("POST", BodyFraming.CHUNKED, -1, "Host", "a", "Transfer-Encoding", "chunked");
        connection.writer().writeHead(post, "/up", forwarded(post), false);
        HttpHeaders trailers = new HttpHeaders().add("X-Checksum", "abc").add("Content-Length", "3");
        connection.writer().writeEnd(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), trailers);
        Http2HeadersFrame head = stream.readOutbound();
        assertThat(head.headers().contains("content-length")).isFalse();
        Http2DataFrame data = stream.readOutbound();
        assertThat(data.isEndStream()).isFalse();
        data.release();
        Http2HeadersFrame end = stream.readOutbound();
        assertThat(end.isEndStream()).isTrue();
        assertThat(end.headers().get("x-checksum").toString()).isEqualTo("abc");
        assertThat(end.headers().contains("content-length")).isFalse();
    }

    @Test
    void anEmptyBodyEndsOnTheHeaders() {
        RequestHead post = request("POST", BodyFraming.CONTENT_LENGTH, 0, "Host", "a");
        connection.writer().writeHead(post, "/up", forwarded(post), true);
        connection.writer().writeEnd(Unpooled.EMPTY_BUFFER, new HttpHeaders());
        Http2HeadersFrame head = stream.readOutbound();
        assertThat(head.isEndStream()).isTrue();
        assertThat(head.headers().get("content-length").toString()).isEqualTo("0");
        assertThat((Object) stream.readOutbound()).isNull();
    }
}
