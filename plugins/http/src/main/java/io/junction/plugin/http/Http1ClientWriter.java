package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpEncoder;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;

/**
 * Responses as HTTP/1.x bytes: Junction's own framing (Content-Length, chunked, or — for an HTTP/1.0
 * client and a body of unknown length — the end of the connection) and the Connection field.
 */
final class Http1ClientWriter implements ClientWriter {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    /**
     * A body of at most this many bytes (Content-Length) is written in the head's buffer: one buffer and one
     * write(2) for a small response instead of two buffers and a writev(2).
     */
    static final int SMALL_BODY = 2048;

    private final Channel channel;
    private Framing framing;
    /** The head of a response with a small body, held back until its body (or a flush) comes. */
    private ByteBuf pendingHead;

    Http1ClientWriter(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void writeContinue() {
        writePending();
        channel.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE), channel.voidPromise());
    }

    @Override
    public void writeInterim(RequestHead request, int status, String reason, HttpHeaders headers) {
        if (request.version() != HttpVersion.HTTP_1_1) {
            return; // HTTP/1.0 has no interim responses
        }
        writePending();
        ByteBuf out = channel.alloc().buffer(128);
        HttpEncoder.writeResponseHead(out, HttpVersion.HTTP_1_1, status, reason, headers);
        channel.write(out, channel.voidPromise());
    }

    @Override
    public boolean writeHead(RequestHead request, int status, String reason, HttpHeaders headers, BodyFraming backendFraming,
            long contentLength, String lengthField, boolean close) {
        boolean http10 = request.version() == HttpVersion.HTTP_1_0;
        switch (backendFraming) {
            case NONE -> {
                framing = Framing.NONE;
                if (lengthField != null && status != 204) { // HEAD and 304 keep the length of what they describe
                    headers.set("Content-Length", lengthField);
                } else if (status != 204 && status != 304 && !request.method().equals("HEAD")) {
                    // an empty body that HTTP/1.1 must frame (an HTTP/2 backend ends such a response on its HEADERS)
                    headers.set("Content-Length", "0");
                }
            }
            case CONTENT_LENGTH -> {
                framing = Framing.LENGTH;
                headers.set("Content-Length", Long.toString(contentLength));
            }
            default -> { // chunked or until close: re-chunk for HTTP/1.1, close-delimit for HTTP/1.0
                if (http10) {
                    framing = Framing.CLOSE;
                    close = true;
                } else {
                    framing = Framing.CHUNKED;
                    headers.set("Transfer-Encoding", "chunked");
                }
            }
        }
        if (close) {
            headers.set("Connection", "close");
        } else if (http10) {
            headers.set("Connection", "keep-alive");
        }
        writePending();
        boolean smallBody = framing == Framing.LENGTH && contentLength > 0 && contentLength <= SMALL_BODY;
        ByteBuf out = channel.alloc().buffer(smallBody ? 256 + (int) contentLength : 256);
        HttpEncoder.writeResponseHead(out, http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, status, reason, headers);
        if (smallBody) {
            pendingHead = out;
        } else {
            channel.write(out, channel.voidPromise());
        }
        return close;
    }

    @Override
    public void writePending() {
        ByteBuf head = pendingHead;
        if (head != null) {
            pendingHead = null;
            channel.write(head, channel.voidPromise());
        }
    }

    @Override
    public void discardPending() {
        ByteBuf head = pendingHead;
        if (head != null) {
            pendingHead = null;
            head.release();
        }
    }

    @Override
    public void writeBody(ByteBuf content) {
        if (framing == null || framing == Framing.NONE) {
            content.release();
            return;
        }
        ByteBuf head = pendingHead;
        if (head != null) { // a small Content-Length body: its bytes join the head's buffer
            pendingHead = null;
            head.writeBytes(content);
            content.release();
            channel.write(head, channel.voidPromise());
            return;
        }
        Http1Bodies.write(channel, content, framing == Framing.CHUNKED);
    }

    @Override
    public void writeEnd(ByteBuf content, HttpHeaders trailers) {
        boolean chunked = framing == Framing.CHUNKED;
        writeBody(content);
        if (chunked) {
            ByteBuf end = channel.alloc().buffer(64);
            HttpEncoder.writeLastChunk(end, ForwardingHeaders.trailers(trailers));
            channel.write(end, channel.voidPromise());
        }
        framing = null;
    }

    @Override
    public void writeLocal(RequestHead request, int status, String reason, HttpHeaders headers, byte[] body, boolean close) {
        writePending();
        boolean http10 = request != null && request.version() == HttpVersion.HTTP_1_0;
        if (close) {
            headers.set("Connection", "close");
        } else if (http10) {
            headers.set("Connection", "keep-alive");
        }
        ByteBuf out = channel.alloc().buffer(256 + body.length);
        HttpEncoder.writeResponseHead(out, http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, status, reason, headers);
        if (request == null || !request.method().equals("HEAD")) {
            out.writeBytes(body);
        }
        channel.write(out, channel.voidPromise());
        framing = null;
    }
}
