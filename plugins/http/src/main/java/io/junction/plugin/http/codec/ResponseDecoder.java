package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * Decodes HTTP/1.1 responses strictly (RFC 9112), each one to a request announced with
 * {@link #expect}. Emits a {@link ResponseHead}, {@link BodyChunk}s and one {@link LastBodyChunk}
 * per response; an interim 1xx response is a head and an empty LastBodyChunk, after which the
 * final response to the same request is awaited. After a 101 (Switching Protocols) every later
 * byte is passed on as a raw {@link ByteBuf}. A body framed by the connection's close ends when
 * the input does; any other response the input ends in the middle of is a violation, while an
 * input ending between responses emits nothing. On the first violation, or bytes no request asked
 * for, it emits one {@link HttpParseException} (status 502) and discards all later input. The receiver releases
 * every buffer it is given.
 */
public class ResponseDecoder extends StrictMessageDecoder {

    private enum State { STATUS_LINE, HEADERS, BODY, TUNNEL }

    private final HttpLimits limits;
    private final LineReader lines = new LineReader();
    private final FieldSectionReader headers;
    private final BodyReader body;
    private final Queue<String> methods = new ArrayDeque<>();
    private State state = State.STATUS_LINE;
    private StatusLine statusLine;

    public ResponseDecoder(HttpLimits limits) {
        this.limits = limits;
        this.headers = new FieldSectionReader(lines, limits, FieldSectionReader.Section.HEADER);
        this.body = new BodyReader(limits, lines);
    }

    /**
     * Announces a request whose response comes after those already announced. Call it on the
     * channel's event loop, before the request can be answered.
     *
     * @param requestMethod the method, as sent: a response to HEAD has no body
     */
    public void expect(String requestMethod) {
        methods.add(requestMethod);
    }

    @Override
    LineReader lines() {
        return lines;
    }

    @Override
    HttpParseException reported(HttpParseException violation) {
        return new HttpParseException(502, violation.reason());
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (failed()) {
            return;
        }
        if (state == State.BODY && body.inputClosed(out)) {
            finished();
        } else if (state == State.HEADERS || state == State.BODY || (state == State.STATUS_LINE && in.isReadable())) {
            in.skipBytes(in.readableBytes());
            fail(out, new HttpParseException(502, "truncated-response"));
        }
    }

    /** One stage of the response; false when it needs more bytes. */
    @Override
    boolean step(ByteBuf in, List<Object> out) throws HttpParseException {
        switch (state) {
            case STATUS_LINE -> {
                return readStatusLine(in);
            }
            case HEADERS -> {
                HttpHeaders fields = headers.read(in);
                if (fields == null) {
                    return false;
                }
                onHead(ResponseHeads.of(statusLine, fields, methods.peek()), out);
                statusLine = null;
                return true;
            }
            case BODY -> {
                if (!body.read(in, out)) {
                    return false;
                }
                finished();
                return true;
            }
            case TUNNEL -> {
                if (in.isReadable()) {
                    out.add(in.readRetainedSlice(in.readableBytes()));
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean readStatusLine(ByteBuf in) throws HttpParseException {
        if (!in.isReadable()) {
            return false;
        }
        if (methods.isEmpty()) {
            throw HttpParseException.badRequest("unexpected-response");
        }
        int length = lines.read(in, limits.maxRequestLineLength());
        if (length == LineReader.NEED_MORE) {
            return false;
        }
        if (length == LineReader.TOO_LONG) {
            throw HttpParseException.badRequest("status-line-too-long");
        }
        statusLine = StatusLine.parse(lines.bytes(), lines.start(), length);
        headers.start();
        state = State.HEADERS;
        return true;
    }

    private void onHead(ResponseHead head, List<Object> out) {
        out.add(head);
        if (head.status() == 101) {
            out.add(LastBodyChunk.empty());
            methods.poll();
            state = State.TUNNEL;
        } else if (head.status() < 200) {
            out.add(LastBodyChunk.empty());
            state = State.STATUS_LINE;
        } else if (body.start(head.framing(), head.contentLength(), out)) {
            finished();
        } else {
            state = State.BODY;
        }
    }

    private void finished() {
        methods.poll();
        state = State.STATUS_LINE;
    }
}
