package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyChunk;
import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpParseException;
import io.junction.plugin.http.codec.HttpVersion;
import io.junction.plugin.http.codec.KnownTexts;
import io.junction.plugin.http.codec.LastBodyChunk;
import io.junction.plugin.http.codec.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.Map;

/**
 * The response on one HTTP/2 stream to a backend, as the messages {@code ResponseDecoder} makes of
 * an HTTP/1.1 response: a {@link ResponseHead} (interim ones each followed by an empty
 * {@link LastBodyChunk}), {@link BodyChunk}s, and one {@link LastBodyChunk} carrying the trailers.
 * A malformed response (RFC 9113 8.1.1) becomes an {@link HttpParseException} message (502) in place
 * of the rest, as with HTTP/1.1. The head's framing says how the body ends: NONE, CONTENT_LENGTH
 * (checked against the DATA received), or CHUNKED for "streamed, length unknown".
 */
final class Http2ResponseReader extends ChannelInboundHandlerAdapter {

    private enum State { HEAD, BODY, DONE }

    private State state = State.HEAD;
    private boolean headRequest;
    /** Body bytes the head announced, -1 when it did not; 0 with framing NONE. */
    private long expected = -1;
    private long received;

    /** The request on this stream is a {@code method} request (HEAD responses have no body). */
    void expect(String method) {
        headRequest = method.equals("HEAD");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.DONE) { // after the end, or after a malformed part: nothing more is passed on
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Http2HeadersFrame headers) {
            onHeaders(ctx, headers);
        } else if (msg instanceof Http2DataFrame data) {
            onData(ctx, data);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Http2Headers fields = frame.headers();
        if (state == State.BODY) { // trailers: they end the stream and carry no pseudo-header
            if (!frame.isEndStream()) {
                fail(ctx, "trailers-without-end-stream");
                return;
            }
            HttpHeaders trailers = new HttpHeaders(fields.size());
            if (!copyFields(fields, trailers, false)) {
                fail(ctx, "pseudo-header-in-trailers");
                return;
            }
            if (!lengthMatches()) {
                fail(ctx, "content-length-mismatch");
                return;
            }
            state = State.DONE;
            ctx.fireChannelRead(new LastBodyChunk(Unpooled.EMPTY_BUFFER, trailers));
            return;
        }
        int status = status(fields.status());
        if (status < 0 || status == 101) { // HTTP/2 has no 101 (RFC 9113 8.6)
            fail(ctx, "invalid-status");
            return;
        }
        HttpHeaders headers = new HttpHeaders(fields.size());
        if (!copyFields(fields, headers, true)) {
            fail(ctx, "misplaced-pseudo-header");
            return;
        }
        if (status < 200) { // interim: another head follows on the same stream
            if (frame.isEndStream()) {
                fail(ctx, "interim-response-ends-stream");
                return;
            }
            ctx.fireChannelRead(new ResponseHead(HttpVersion.HTTP_2, status, "", headers, BodyFraming.NONE, -1));
            ctx.fireChannelRead(LastBodyChunk.empty());
            return;
        }
        long length = contentLength(headers);
        if (length == -2) {
            fail(ctx, "invalid-content-length");
            return;
        }
        boolean noBody = headRequest || status == 204 || status == 304;
        BodyFraming framing;
        if (noBody) {
            framing = BodyFraming.NONE;
            expected = 0;
        } else if (frame.isEndStream() && length <= 0) {
            framing = BodyFraming.NONE;
            expected = 0;
        } else if (length >= 0) {
            framing = BodyFraming.CONTENT_LENGTH;
            expected = length;
        } else {
            framing = BodyFraming.CHUNKED;
            expected = -1;
        }
        if (frame.isEndStream() && expected > 0) { // announced a body and sent none
            fail(ctx, "content-length-mismatch");
            return;
        }
        ctx.fireChannelRead(new ResponseHead(HttpVersion.HTTP_2, status, "", headers, framing, framing == BodyFraming.CONTENT_LENGTH
                ? length : -1));
        if (frame.isEndStream()) {
            state = State.DONE;
            ctx.fireChannelRead(LastBodyChunk.empty());
        } else {
            state = State.BODY;
        }
    }

    private void onData(ChannelHandlerContext ctx, Http2DataFrame frame) {
        ByteBuf content = frame.content();
        if (state != State.BODY) {
            content.release();
            fail(ctx, "data-before-headers");
            return;
        }
        received += content.readableBytes();
        if (expected >= 0 && received > expected) {
            content.release();
            fail(ctx, expected == 0 ? "body-not-allowed" : "content-length-mismatch");
            return;
        }
        if (frame.isEndStream()) {
            if (!lengthMatches()) {
                content.release();
                fail(ctx, "content-length-mismatch");
                return;
            }
            state = State.DONE;
            ctx.fireChannelRead(new LastBodyChunk(content, new HttpHeaders()));
        } else if (content.isReadable()) {
            ctx.fireChannelRead(new BodyChunk(content));
        } else {
            content.release();
        }
    }

    private boolean lengthMatches() {
        return expected < 0 || received == expected;
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        state = State.DONE;
        ctx.fireChannelRead(new HttpParseException(502, reason));
    }

    /** The {@code :status} value as a number from 100 to 599; -1 when absent or anything else. */
    static int status(CharSequence value) {
        if (value == null || value.length() != 3) {
            return -1;
        }
        int status = 0;
        for (int i = 0; i < 3; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            status = status * 10 + (c - '0');
        }
        return status >= 100 && status <= 599 ? status : -1;
    }

    /**
     * Copies the regular fields of {@code fields} into {@code into}; false when there is a pseudo-header
     * other than a head's {@code :status} (the codec checks where pseudo-headers stand, this which they are).
     */
    private static boolean copyFields(Http2Headers fields, HttpHeaders into, boolean head) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = fields.iterator();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                if (!head || !(name.length() == 7 && name.toString().equals(":status"))) {
                    return false;
                }
                continue;
            }
            into.add(KnownTexts.of(name), KnownTexts.of(field.getValue()));
        }
        return true;
    }

    /**
     * The {@code content-length} of a response: -1 when absent, -2 when not one non-negative decimal
     * (several fields or list members must all agree, RFC 9110 8.6).
     */
    static long contentLength(HttpHeaders headers) {
        long length = -1;
        for (String value : headers.getAll("content-length")) {
            for (String member : value.split(",", -1)) {
                String digits = member.trim();
                if (digits.isEmpty() || digits.length() > 18) {
                    return -2;
                }
                long n = 0;
                for (int i = 0; i < digits.length(); i++) {
                    char c = digits.charAt(i);
                    if (c < '0' || c > '9') {
                        return -2;
                    }
                    n = n * 10 + (c - '0');
                }
                if (length >= 0 && n != length) {
                    return -2;
                }
                length = n;
            }
        }
        return length;
    }
}
