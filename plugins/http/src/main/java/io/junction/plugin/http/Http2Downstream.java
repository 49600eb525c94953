package io.junction.plugin.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * Turns a client connection that opened with the HTTP/2 preface into an HTTP/2 server connection:
 * Netty's frame codec with Junction's settings and abuse limits, a multiplexer that gives each stream
 * a child channel running the same exchange logic as an HTTP/1.1 connection ({@link ClientConnection}
 * behind an {@link Http2RequestReader}, answering through an {@link Http2ClientWriter}), and a
 * {@link Http2ConnectionGuard} for what belongs to no stream. Flushes are consolidated per event loop pass.
 */
final class Http2Downstream {

    private Http2Downstream() {
    }

    /** Adds the HTTP/2 handlers to {@code pipeline} after the handler named {@code after}. */
    static void install(ChannelPipeline pipeline, String after, HttpProxyHandler handler) {
        Channel channel = pipeline.channel();
        HttpProxyConfig config = handler.config();
        Http2Config h2 = config.http2();
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(h2.maxConcurrentStreams())
                .initialWindowSize((int) h2.initialStreamWindow().bytes())
                .maxHeaderListSize(config.maxHeaderSize().bytes());
        Http2FrameCodec codec = Http2Codecs.server()
                .initialSettings(settings)
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(h2.maxResets(), (int) h2.resetWindow().toSeconds())
                .gracefulShutdownTimeoutMillis(config.responseTimeout().toMillis())
                .frameLogger(new Http2ErrorCounter(handler.metrics()))
                .build();
        Http2MultiplexHandler multiplexer = new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                handler.metrics().http2StreamOpened();
                stream.pipeline()
                        .addLast("http2-request-reader", new Http2RequestReader(handler.limits()))
                        .addLast("http-client", new ClientConnection(handler, new Http2ClientWriter(stream)));
            }
        });
        Http2ConnectionGuard guard = new Http2ConnectionGuard(handler, codec);
        // Each stream flushes its own response; consolidated, the frames of the streams answered in one event
        // loop pass leave in one write instead of a write per stream.
        pipeline.addAfter(after, "http2-flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                .addAfter("http2-flush", "http2-codec", codec).addAfter("http2-codec", "http2-multiplexer", multiplexer)
                .addAfter("http2-multiplexer", "http2-guard", guard);
        handler.http2Opened(channel, guard);
        // The connection's window starts at 64 KiB whatever SETTINGS say (RFC 9113 6.9.2), and Netty may have widened
        // it already: grant what is missing up to connectionWindow, no more.
        Http2Stream connectionStream = codec.connection().connectionStream();
        long missing = h2.connectionWindow().bytes() - codec.connection().local().flowController().windowSize(connectionStream);
        if (missing > 0) {
            channel.write(new DefaultHttp2WindowUpdateFrame((int) missing));
        }
    }
}
