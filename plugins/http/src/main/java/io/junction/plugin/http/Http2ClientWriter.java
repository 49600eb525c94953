package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Responses as HTTP/2 frames on the client's stream: HEADERS (ending the stream when there is no
 * body), DATA, and the end as DATA with END_STREAM or as trailing HEADERS. HTTP/2 frames every
 * message itself, so there is no framing to choose and nothing that closes the connection.
 */
final class Http2ClientWriter implements ClientWriter {

    private final Channel stream;
    /** The response's END_STREAM was written (or there is no response being written). */
    private boolean ended = true;
    /** The write of the frame that ended the response, for {@link #resetWhenWritten}. */
    private ChannelFuture endWritten;
    /** Body bytes still to come when the response has a Content-Length, else -1: its last DATA frame ends the stream. */
    private long remaining = -1;

    Http2ClientWriter(Channel stream) {
        this.stream = stream;
    }

    @Override
    public void writeContinue() {
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(Http2Fields.response(100, new HttpHeaders()), false), stream.voidPromise());
    }

    @Override
    public void writeInterim(RequestHead request, int status, String reason, HttpHeaders headers) {
        stream.write(new DefaultHttp2HeadersFrame(Http2Fields.response(status, headers), false), stream.voidPromise());
    }

    @Override
    public boolean writeHead(RequestHead request, int status, String reason, HttpHeaders headers, BodyFraming framing, long contentLength,
            String lengthField, boolean close) {
        if (framing == BodyFraming.CONTENT_LENGTH) {
            headers.set("content-length", Long.toString(contentLength));
        } else if (framing == BodyFraming.NONE && lengthField != null && status != 204) {
            headers.set("content-length", lengthField); // HEAD and 304 keep the length of what they describe
        }
        boolean noBody = framing == BodyFraming.NONE || (framing == BodyFraming.CONTENT_LENGTH && contentLength == 0);
        ended = noBody;
        remaining = framing == BodyFraming.CONTENT_LENGTH ? contentLength : -1;
        DefaultHttp2HeadersFrame frame = new DefaultHttp2HeadersFrame(Http2Fields.response(status, headers), noBody);
        if (noBody) {
            endWritten = stream.write(frame);
        } else {
            stream.write(frame, stream.voidPromise());
        }
        return false;
    }

    @Override
    public void writeBody(ByteBuf content) {
        if (ended || !content.isReadable()) {
            content.release();
            return;
        }
        if (remaining > 0 && (remaining -= content.readableBytes()) <= 0) { // the whole body: one frame fewer
            ended = true;
            endWritten = stream.write(new DefaultHttp2DataFrame(content, true));
            return;
        }
        stream.write(new DefaultHttp2DataFrame(content, false), stream.voidPromise());
    }

    @Override
    public void writeEnd(ByteBuf content, HttpHeaders trailers) {
        if (ended) {
            content.release();
            return;
        }
        ended = true;
        HttpHeaders kept = ForwardingHeaders.trailers(trailers);
        if (kept.isEmpty()) {
            endWritten = stream.write(new DefaultHttp2DataFrame(content, true));
            return;
        }
        if (content.isReadable()) {
            stream.write(new DefaultHttp2DataFrame(content, false), stream.voidPromise());
        } else {
            content.release();
        }
        endWritten = stream.write(new DefaultHttp2HeadersFrame(Http2Fields.trailers(kept), true));
    }

    @Override
    public void writeLocal(RequestHead request, int status, String reason, HttpHeaders headers, byte[] body, boolean close) {
        boolean noBody = body.length == 0 || (request != null && request.method().equals("HEAD"));
        Http2Headers block = Http2Fields.response(status, headers);
        if (noBody) {
            endWritten = stream.write(new DefaultHttp2HeadersFrame(block, true));
        } else {
            stream.write(new DefaultHttp2HeadersFrame(block, false), stream.voidPromise());
            endWritten = stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        ended = true;
    }

    /**
     * Resets the stream once everything written is on its way: the response is complete but the request
     * is not, and the rest of it is not wanted (RFC 9113 8.1). Closing at once would cut the response's
     * last frames, which may still wait for flow-control window.
     */
    void resetWhenWritten() {
        stream.flush();
        if (endWritten == null || endWritten.isDone()) {
            stream.close();
        } else {
            endWritten.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
