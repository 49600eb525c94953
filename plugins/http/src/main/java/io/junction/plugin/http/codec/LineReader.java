package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Takes CRLF-terminated lines off the front of a cumulation buffer into a reusable array. It
 * remembers how far it has looked, so that a line fed a byte at a time is scanned once, and it
 * gives up on a line as soon as it is longer than allowed instead of waiting for its end.
 */
final class LineReader {

    /** No line end yet, and the line may still end within its limit. */
    static final int NEED_MORE = -1;
    /** No line end within the limit. */
    static final int TOO_LONG = -2;

    /**
     * Lines are copied into one array per event loop thread, not per connection: a line is parsed
     * as soon as it is read, so idle connections hold no line buffer.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[256];
        }
    };

    private byte[] bytes;
    private int scanned;

    /**
     * Consumes the next line of at most {@code maxLength} bytes before its CRLF.
     *
     * @return the length of the line, CRLF excluded, now in {@link #bytes()}; or NEED_MORE, or TOO_LONG
     * @throws HttpParseException 400 for a LF without CR before it, or a CR inside the line
     */
    int read(ByteBuf in, int maxLength) throws HttpParseException {
        int readable = in.readableBytes();
        int window = (int) Math.min(readable, maxLength + 2L);
        int lf = -1;
        if (scanned < window) {
            int from = in.readerIndex();
            lf = in.indexOf(from + scanned, from + window, Ascii.LF); // word at a time, unlike forEachByte
            scanned = lf < 0 ? window : 0;
        }
        if (lf < 0) {
            return readable >= maxLength + 2L ? TOO_LONG : NEED_MORE;
        }
        int length = lf - in.readerIndex() - 1;
        if (length < 0 || in.getByte(lf - 1) != Ascii.CR) {
            throw HttpParseException.badRequest("bare-lf");
        }
        int start = in.readerIndex();
        if (length > 0 && in.indexOf(start, lf - 1, Ascii.CR) >= 0) { // word at a time, like the LF
            throw HttpParseException.badRequest("bare-cr");
        }
        bytes = SCRATCH.get();
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
            SCRATCH.set(bytes);
        }
        in.readBytes(bytes, 0, length);
        in.skipBytes(2);
        return length;
    }

    /** The last line read; valid up to the length {@link #read} returned. */
    byte[] bytes() {
        return bytes;
    }

    /** Forgets a partly scanned line: the input it was in is gone. */
    void reset() {
        scanned = 0;
    }
}
