package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Decodes HTTP/1.1 requests strictly (RFC 9112), for a proxy that re-frames what it forwards.
 * Emits, for each request: a {@link RequestHead}, {@link BodyChunk}s as body bytes arrive, and
 * one {@link LastBodyChunk}; bytes after a request are the next (pipelined) request. On the first
 * violation it emits one {@link HttpParseException} carrying the status to answer with, and
 * discards all later input. Body buffers are retained slices of the input: the receiver releases them.
 * The proxy's client connections use a subclass that also watches what arrives.
 */
public class RequestDecoder extends StrictMessageDecoder {

    /** RFC 9112 2.2 asks to ignore at least one empty line before a request line; a few more are forgiven. */
    private static final int MAX_EMPTY_LINES = 8;

    private enum State { REQUEST_LINE, HEADERS, BODY }

    private final HttpLimits limits;
    private final LineReader lines = new LineReader();
    private final FieldSectionReader headers;
    /** Made for the first request that has a body: a connection whose requests have none never needs one. */
    private BodyReader body;
    private final RequestHeads heads = new RequestHeads();
    private State state = State.REQUEST_LINE;
    private RequestLine requestLine;
    private int emptyLines;

    public RequestDecoder(HttpLimits limits) {
        this.limits = limits;
        this.headers = new FieldSectionReader(lines, limits, FieldSectionReader.Section.HEADER);
    }

    @Override
    LineReader lines() {
        return lines;
    }

    @Override
    HttpParseException reported(HttpParseException violation) {
        return violation;
    }

    /** One stage of the request; false when it needs more bytes. */
    @Override
    boolean step(ByteBuf in, List<Object> out) throws HttpParseException {
        switch (state) {
            case REQUEST_LINE -> {
                return readRequestLine(in);
            }
            case HEADERS -> {
                HttpHeaders fields = headers.read(in);
                if (fields == null) {
                    return false;
                }
                RequestHead head = heads.of(requestLine, fields);
                requestLine = null;
                out.add(head);
                if (BodyReader.isEmpty(head.framing(), head.contentLength())) {
                    out.add(LastBodyChunk.empty());
                    state = State.REQUEST_LINE;
                    return true;
                }
                if (body == null) {
                    body = new BodyReader(limits, lines);
                }
                state = body.start(head.framing(), head.contentLength(), out) ? State.REQUEST_LINE : State.BODY;
                return true;
            }
            case BODY -> {
                if (!body.read(in, out)) {
                    return false;
                }
                state = State.REQUEST_LINE;
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean readRequestLine(ByteBuf in) throws HttpParseException {
        int length = lines.read(in, limits.maxRequestLineLength());
        if (length == LineReader.NEED_MORE) {
            return false;
        }
        if (length == LineReader.TOO_LONG) {
            throw new HttpParseException(414, "request-line-too-long");
        }
        if (length == 0) {
            if (++emptyLines > MAX_EMPTY_LINES) {
                throw HttpParseException.badRequest("too-many-empty-lines");
            }
            return true;
        }
        emptyLines = 0;
        requestLine = RequestLine.parse(lines.bytes(), lines.start(), length);
        headers.start();
        state = State.HEADERS;
        return true;
    }
}
