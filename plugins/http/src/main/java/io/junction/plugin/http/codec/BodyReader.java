package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * Streams one message body out of the cumulation buffer as retained slices, never holding more
 * than what arrived: {@link BodyChunk}s, then exactly one {@link LastBodyChunk}. Chunked framing
 * is removed (RFC 9112 7.1): chunk extensions are checked and dropped, trailers kept.
 */
final class BodyReader {

    private enum State { LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    private static final int MAX_SIZE_DIGITS = 16;

    private final HttpLimits limits;
    private final LineReader lines;
    /** Made for the first trailer section: most connections never see one. */
    private FieldSectionReader trailers;
    private State state = State.DONE;
    private long remaining;

    BodyReader(HttpLimits limits, LineReader lines) {
        this.limits = limits;
        this.lines = lines;
    }

    /** Whether a message so framed has no body bytes at all: no framing, or a length of 0. */
    static boolean isEmpty(BodyFraming framing, long contentLength) {
        return framing == BodyFraming.NONE || framing == BodyFraming.CONTENT_LENGTH && contentLength == 0;
    }

    /** Starts a body; true when it is already over (NONE, or a length of 0), its LastBodyChunk emitted. */
    boolean start(BodyFraming framing, long contentLength, List<Object> out) {
        switch (framing) {
            case NONE -> state = State.DONE;
            case CONTENT_LENGTH -> {
                state = contentLength == 0 ? State.DONE : State.LENGTH;
                remaining = contentLength;
            }
            case CHUNKED -> state = State.CHUNK_SIZE;
            case UNTIL_CLOSE -> state = State.UNTIL_CLOSE;
        }
        if (state == State.DONE) {
            out.add(LastBodyChunk.empty());
            return true;
        }
        return false;
    }

    /** Reads what it can of the body; true once the body is over, its LastBodyChunk emitted. */
    boolean read(ByteBuf in, List<Object> out) throws HttpParseException {
        for (;;) {
            switch (state) {
                case LENGTH -> {
                    int size = (int) Math.min(in.readableBytes(), remaining);
                    if (size == 0) {
                        return false;
                    }
                    remaining -= size;
                    if (remaining > 0) {
                        out.add(new BodyChunk(in.readRetainedSlice(size)));
                        return false;
                    }
                    out.add(new LastBodyChunk(in.readRetainedSlice(size), new HttpHeaders()));
                    state = State.DONE;
                    return true;
                }
                case CHUNK_SIZE -> {
                    if (!readChunkSize(in)) {
                        return false;
                    }
                }
                case CHUNK_DATA -> {
                    int size = (int) Math.min(in.readableBytes(), remaining);
                    if (size == 0) {
                        return false;
                    }
                    out.add(new BodyChunk(in.readRetainedSlice(size)));
                    remaining -= size;
                    if (remaining == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (!readChunkEnd(in)) {
                        return false;
                    }
                }
                case TRAILERS -> {
                    HttpHeaders fields = trailers.read(in);
                    if (fields == null) {
                        return false;
                    }
                    out.add(new LastBodyChunk(Unpooled.EMPTY_BUFFER, fields));
                    state = State.DONE;
                    return true;
                }
                case UNTIL_CLOSE -> {
                    if (in.isReadable()) {
                        out.add(new BodyChunk(in.readRetainedSlice(in.readableBytes())));
                    }
                    return false;
                }
                case DONE -> {
                    return true;
                }
            }
        }
    }

    /** The connection's input ended: true if that ends the body (UNTIL_CLOSE), its LastBodyChunk emitted. */
    boolean inputClosed(List<Object> out) {
        if (state != State.UNTIL_CLOSE) {
            return false;
        }
        state = State.DONE;
        out.add(LastBodyChunk.empty());
        return true;
    }

    /** {@code chunk-size [ chunk-ext ] CRLF}: 1 to 16 hex digits, then only well-formed extensions. */
    private boolean readChunkSize(ByteBuf in) throws HttpParseException {
        int length = lines.read(in, MAX_SIZE_DIGITS + limits.maxChunkExtensionLength());
        if (length == LineReader.NEED_MORE) {
            return false;
        }
        if (length == LineReader.TOO_LONG) {
            boolean digitsOnly = in.readableBytes() > MAX_SIZE_DIGITS;
            for (int i = 0; i <= MAX_SIZE_DIGITS && digitsOnly; i++) {
                digitsOnly = Ascii.hexValue(in.getByte(in.readerIndex() + i)) >= 0;
            }
            throw HttpParseException.badRequest(digitsOnly ? "invalid-chunk-size" : "chunk-extension-too-long");
        }
        byte[] line = lines.bytes();
        int start = lines.start();
        int end = start + length;
        long size = 0;
        int sizeEnd = start;
        while (sizeEnd < end && Ascii.hexValue(line[sizeEnd]) >= 0) {
            size = size << 4 | Ascii.hexValue(line[sizeEnd]);
            sizeEnd++;
        }
        int digits = sizeEnd - start;
        boolean overflow = digits > MAX_SIZE_DIGITS || (digits == MAX_SIZE_DIGITS && Ascii.hexValue(line[start]) > 7);
        if (digits == 0 || overflow || (sizeEnd < end && line[sizeEnd] != ';' && !Ascii.isWhitespace(line[sizeEnd]))) {
            throw HttpParseException.badRequest("invalid-chunk-size");
        }
        if (length - digits > limits.maxChunkExtensionLength()) {
            throw HttpParseException.badRequest("chunk-extension-too-long");
        }
        if (!Parameters.isValid(line, sizeEnd, end, false)) {
            throw HttpParseException.badRequest(isWhitespace(line, sizeEnd, end) ? "invalid-chunk-size" : "invalid-chunk-extension");
        }
        if (size == 0) {
            if (trailers == null) {
                trailers = new FieldSectionReader(lines, limits, FieldSectionReader.Section.TRAILER);
            }
            trailers.start();
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /** The CRLF that must follow the data of a chunk. */
    private boolean readChunkEnd(ByteBuf in) throws HttpParseException {
        int readable = in.readableBytes();
        if (readable == 0) {
            return false;
        }
        byte first = in.getByte(in.readerIndex());
        if (first == Ascii.LF) {
            throw HttpParseException.badRequest("bare-lf");
        }
        if (first != Ascii.CR) {
            throw HttpParseException.badRequest("invalid-chunk-end");
        }
        if (readable == 1) {
            return false;
        }
        if (in.getByte(in.readerIndex() + 1) != Ascii.LF) {
            throw HttpParseException.badRequest("bare-cr");
        }
        in.skipBytes(2);
        state = State.CHUNK_SIZE;
        return true;
    }

    private static boolean isWhitespace(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!Ascii.isWhitespace(bytes[i])) {
                return false;
            }
        }
        return true;
    }
}
