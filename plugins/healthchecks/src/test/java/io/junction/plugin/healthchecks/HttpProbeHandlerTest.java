package io.junction.plugin.healthchecks;

import static io.junction.plugin.healthchecks.ProbeFixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.junction.api.health.HealthCheckResult;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The http probe handler on an embedded channel: verdicts, the 64 KiB bound, and every buffer released. */
class HttpProbeHandlerTest {

    // Counts live heap buffers, so a window the handler forgot to release shows.
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, false, false);
    private final List<ByteBuf> fed = new ArrayList<>();
    private final Probe probe = new Probe();

    private EmbeddedChannel channel(String needle) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new HttpProbeHandler(probe, request, StatusRanges.of(List.of("200-399")),
                needle == null ? null : needle.getBytes(StandardCharsets.UTF_8), needle));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    private DefaultHttpContent chunk(String text) {
        ByteBuf buf = Unpooled.buffer(text.length()).writeBytes(ascii(text));
        fed.add(buf);
        return new DefaultHttpContent(buf);
    }

    private LastHttpContent last(String text) {
        ByteBuf buf = Unpooled.buffer(text.length()).writeBytes(ascii(text));
        fed.add(buf);
        return new DefaultLastHttpContent(buf);
    }

    private HealthCheckResult result() throws Exception {
        return probe.result().toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    @AfterEach
    void everyBufferIsReleased() {
        assertThat(fed).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        assertThat(alloc.metric().usedHeapMemory()).as("the body window was released").isZero();
    }

    @Test
    void writesTheRequestOnceConnected() {
        EmbeddedChannel channel = channel(null);

        Object written = channel.readOutbound();
        assertThat(written).isInstanceOf(FullHttpRequest.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void findsTextSplitAcrossChunks() throws Exception {
        EmbeddedChannel channel = channel("ready");

        channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK), chunk("state: rea"), chunk("dy"),
                last("never read"));

        assertThat(result()).isEqualTo(HealthCheckResult.pass("status 200, body has 'ready'"));
        channel.finishAndReleaseAll();
    }

    @Test
    void anUnexpectedStatusFailsWithoutReadingTheBody() throws Exception {
        EmbeddedChannel channel = channel("ready");

        channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE), chunk("ready"),
                last(""));

        assertThat(result()).isEqualTo(HealthCheckResult.fail("status 503"));
        channel.finishAndReleaseAll();
    }

    @Test
    void informationalResponsesAreSkipped() throws Exception {
        EmbeddedChannel channel = channel(null);

        channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), LastHttpContent.EMPTY_LAST_CONTENT,
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT), LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(result()).isEqualTo(HealthCheckResult.pass("status 204"));
        channel.finishAndReleaseAll();
    }

    @Test
    void aBodyWithoutTheTextFailsAfter64KiBAndKeepsNoMore() throws Exception {
        EmbeddedChannel channel = channel("needle");
        channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));

        String kib = "x".repeat(1024);
        for (int i = 0; i < 70 && !probe.done(); i++) {
            channel.writeInbound(chunk(kib));
        }
        channel.writeInbound(chunk("needle after the limit"));

        assertThat(result()).isEqualTo(HealthCheckResult.fail("body lacks 'needle' in its first 64 KiB"));
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionClosedMidBodyFailsAndReleasesTheWindow() throws Exception {
        EmbeddedChannel channel = channel("needle");

        channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK), chunk("partial"));
        channel.close();

        assertThat(result()).isEqualTo(HealthCheckResult.fail("connection closed mid-response"));
        channel.finishAndReleaseAll();
    }

    @Test
    void theSearchMatchesAnywhereInTheWindow() {
        ByteBuf haystack = Unpooled.copiedBuffer(ascii("abcabd"));
        fed.add(haystack);

        assertThat(HttpProbeHandler.indexOf(haystack, ascii("abd"), 0)).isEqualTo(3);
        assertThat(HttpProbeHandler.indexOf(haystack, ascii("abd"), 4)).isEqualTo(-1);
        assertThat(HttpProbeHandler.indexOf(haystack, ascii("abcabdx"), 0)).isEqualTo(-1);
        haystack.release();
    }
}
