package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.plugin.http.codec.BodyChunk;
import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpParseException;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.LastBodyChunk;
import io.junction.plugin.http.codec.ResponseHead;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 response frames as the messages the HTTP/1.1 decoder makes, and the malformed ones as a 502 message. */
class Http2ResponseReaderTest {

    private final Http2ResponseReader reader = new Http2ResponseReader();
    private final EmbeddedChannel channel = new EmbeddedChannel(reader);

    @AfterEach
    void noBufferLeft() {
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static Http2Headers status(String status) {
        return new DefaultHttp2Headers().status(status);
    }

    private static DefaultHttp2DataFrame data(String text, boolean end) {
        return new DefaultHttp2DataFrame(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII), end);
    }

    /** The messages read so far, bodies as text (and released). */
    private List<Object> read() {
        List<Object> messages = new ArrayList<>();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            if (msg instanceof BodyChunk chunk) {
                messages.add("body:" + chunk.content().toString(StandardCharsets.US_ASCII));
                chunk.release();
            } else if (msg instanceof LastBodyChunk last) {
                messages.add("end:" + last.content().toString(StandardCharsets.US_ASCII) + last.trailers());
                last.release();
            } else {
                messages.add(msg);
            }
        }
        return messages;
    }

    @Test
    void aResponseWithContentLengthIsFramedByIt() {
        reader.expect("GET");
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("200").set("content-length", "5").set("x-a", "1")));
        channel.writeInbound(data("hel", false), data("lo", true));
        List<Object> messages = read();
        ResponseHead head = (ResponseHead) messages.get(0);
        assertThat(head.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.reason()).isEmpty();
        assertThat(head.framing()).isEqualTo(BodyFraming.CONTENT_LENGTH);
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.headers().get("x-a")).isEqualTo("1");
        assertThat(head.headers().names()).noneMatch(name -> name.startsWith(":"));
        assertThat(messages.subList(1, messages.size())).containsExactly("body:hel", "end:lo[]");
    }

    @Test
    void aResponseOfUnknownLengthStreamsAndEndsWithItsTrailers() {
        reader.expect("POST");
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("200")), data("a", false), data("", false), data("b", false));
        channel.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true));
        List<Object> messages = read();
        assertThat(((ResponseHead) messages.get(0)).framing()).isEqualTo(BodyFraming.CHUNKED);
        assertThat(messages.subList(1, messages.size())).hasSize(3).startsWith("body:a", "body:b");
        assertThat(messages.get(3).toString()).startsWith("end:").contains("grpc-status");
    }

    @Test
    void headersThatEndTheStreamAreABodilessResponse() {
        reader.expect("GET");
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("204"), true));
        List<Object> messages = read();
        assertThat(((ResponseHead) messages.get(0)).framing()).isEqualTo(BodyFraming.NONE);
        assertThat(messages.get(1)).isEqualTo("end:[]");
    }

    @Test
    void aHeadResponseKeepsItsContentLengthFieldAndHasNoBody() {
        reader.expect("HEAD");
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("200").set("content-length", "11"), true));
        List<Object> messages = read();
        ResponseHead head = (ResponseHead) messages.get(0);
        assertThat(head.framing()).isEqualTo(BodyFraming.NONE);
        assertThat(head.headers().get("content-length")).isEqualTo("11");
        assertThat(messages.get(1)).isEqualTo("end:[]");
    }

    @Test
    void anInterimResponseIsAHeadAndAnEmptyEndThenTheFinalOneFollows() {
        reader.expect("GET");
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("103").set("link", "</a.css>")));
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("200"), true));
        List<Object> messages = read();
        assertThat(((ResponseHead) messages.get(0)).status()).isEqualTo(103);
        assertThat(messages.get(1)).isEqualTo("end:[]");
        assertThat(((ResponseHead) messages.get(2)).status()).isEqualTo(200);
        assertThat(messages.get(3)).isEqualTo("end:[]");
    }

    private String failure() {
        List<Object> messages = read();
        Object last = messages.get(messages.size() - 1);
        assertThat(last).isInstanceOf(HttpParseException.class);
        assertThat(((HttpParseException) last).status()).isEqualTo(502);
        return ((HttpParseException) last).reason();
    }

    @Test
    void aMissingInvalidOr101StatusIsMalformed() {
        channel.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("x", "1")));
        assertThat(failure()).isEqualTo("invalid-status");
        Http2ResponseReader other = new Http2ResponseReader();
        EmbeddedChannel second = new EmbeddedChannel(other);
        second.writeInbound(new DefaultHttp2HeadersFrame(status("101")));
        assertThat(((HttpParseException) second.readInbound()).reason()).isEqualTo("invalid-status");
        assertThat(second.finishAndReleaseAll()).isFalse();
    }

    @Test
    void contentLengthsThatDisagreeOrDoNotMatchTheDataAreMalformed() {
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("200").add("content-length", "5").add("content-length", "6")));
        assertThat(failure()).isEqualTo("invalid-content-length");

        EmbeddedChannel longer = new EmbeddedChannel(new Http2ResponseReader());
        longer.writeInbound(new DefaultHttp2HeadersFrame(status("200").set("content-length", "2")), data("abc", true));
        assertThat((Object) longer.readInbound()).isInstanceOf(ResponseHead.class);
        assertThat(((HttpParseException) longer.readInbound()).reason()).isEqualTo("content-length-mismatch");
        assertThat(longer.finishAndReleaseAll()).isFalse();

        EmbeddedChannel shorter = new EmbeddedChannel(new Http2ResponseReader());
        shorter.writeInbound(new DefaultHttp2HeadersFrame(status("200").set("content-length", "9")), data("abc", true));
        assertThat((Object) shorter.readInbound()).isInstanceOf(ResponseHead.class);
        assertThat(((HttpParseException) shorter.readInbound()).reason()).isEqualTo("content-length-mismatch");
        assertThat(shorter.finishAndReleaseAll()).isFalse();
    }

    @Test
    void dataBeforeHeadersOrAfterTheEndIsMalformedOrDropped() {
        channel.writeInbound(data("x", false));
        assertThat(failure()).isEqualTo("data-before-headers");
        channel.writeInbound(data("y", true)); // after a failure nothing more is passed on, and it is released
        assertThat(read()).isEmpty();
    }

    @Test
    void pseudoHeadersInTrailersAreMalformed() {
        reader.expect("GET");
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("200")));
        channel.writeInbound(new DefaultHttp2HeadersFrame(status("200"), true));
        assertThat(failure()).isEqualTo("pseudo-header-in-trailers");
    }
}
