package io.junction.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link Http1ClientWriter} puts on the connection, buffer by buffer. */
class Http1ClientWriterTest {

    /** Every buffer the writer allocates, to check that none is left unreleased. */
    private final List<ByteBuf> allocated = new ArrayList<>();
    private final EmbeddedChannel channel = channel(allocated);
    private final Http1ClientWriter writer = new Http1ClientWriter(channel);

    private static EmbeddedChannel channel(List<ByteBuf> allocated) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buf = Unpooled.buffer(initialCapacity, maxCapacity);
                allocated.add(buf);
                return buf;
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buf = Unpooled.directBuffer(initialCapacity, maxCapacity);
                allocated.add(buf);
                return buf;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        });
        return channel;
    }
    private final RequestHead get = new RequestHead("GET", "/", HttpVersion.HTTP_1_1, new HttpHeaders().add("Host", "a"),
            BodyFraming.NONE, -1);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** The buffers flushed so far, each as text (released). */
    private List<String> written() {
        List<String> buffers = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            buffers.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return buffers;
    }

    @Test
    void aSmallBodyLeavesInTheHeadsBuffer() {
        writer.writeHead(get, 200, "OK", new HttpHeaders(), BodyFraming.CONTENT_LENGTH, 5, null, false);
        writer.writeEnd(text("hello"), new HttpHeaders());
        channel.flush();
        assertThat(written()).containsExactly("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    }

    @Test
    void aHeadHeldBackIsWrittenBeforeAFlushWhenItsBodyHasNotCome() {
        writer.writeHead(get, 200, "OK", new HttpHeaders(), BodyFraming.CONTENT_LENGTH, 5, null, false);
        writer.writePending();
        channel.flush();
        assertThat(written()).containsExactly("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        writer.writeBody(text("hel"));
        writer.writeEnd(text("lo"), new HttpHeaders());
        channel.flush();
        assertThat(written()).containsExactly("hel", "lo");
    }

    @Test
    void aBodyInPartsJoinsTheHeadWithItsFirstPart() {
        writer.writeHead(get, 200, "OK", new HttpHeaders(), BodyFraming.CONTENT_LENGTH, 5, null, false);
        writer.writeBody(text("hel"));
        writer.writeEnd(text("lo"), new HttpHeaders());
        channel.flush();
        assertThat(written()).containsExactly("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", "lo");
    }

    @Test
    void aLargeOrChunkedBodyIsNotHeldBack() {
        writer.writeHead(get, 200, "OK", new HttpHeaders(), BodyFraming.CONTENT_LENGTH, Http1ClientWriter.SMALL_BODY + 1, null, false);
        channel.flush();
        assertThat(written()).hasSize(1);
        writer.writeEnd(Unpooled.EMPTY_BUFFER, new HttpHeaders());
        writer.writeHead(get, 200, "OK", new HttpHeaders(), BodyFraming.CHUNKED, -1, null, false);
        channel.flush();
        assertThat(written()).containsExactly("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void aHeadHeldBackWhenTheConnectionClosesIsReleasedNotWritten() {
        writer.writeHead(get, 200, "OK", new HttpHeaders(), BodyFraming.CONTENT_LENGTH, 5, null, false);
        assertThat(allocated).hasSize(1);
        writer.discardPending();
        writer.writePending();
        channel.flush();
        assertThat(written()).isEmpty();
        assertThat(allocated.get(0).refCnt()).isZero();
    }
}
