package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Takes CRLF-terminated lines off the front of a cumulation buffer. The input is copied into an
 * array a window at a time (512 bytes first, more only for a longer line), and lines are found and
 * handed out in that array: a head of ten lines costs one bulk copy and a scan eight bytes at a
 * time, not ten rounds of the buffer's bounds-checked accessors. It remembers how far it has
 * looked, so that a line fed a byte at a time is scanned once, and it gives up on a line as soon
 * as it is longer than allowed instead of waiting for its end.
 *
 * <p>The window is valid within one call of the decoder only ({@link #newInput}, at the start and
 * the end of each): between calls the buffer may be compacted or released, and the array is the
 * event loop thread's, shared by its connections.
 */
final class LineReader {

    /** No line end yet, and the line may still end within its limit. */
    static final int NEED_MORE = -1;
    /** No line end within the limit. */
    static final int TOO_LONG = -2;

    /** Bytes copied into a new window: a usual request or response head fits. */
    private static final int FIRST_WINDOW = 512;
    /**
     * The largest scratch array the codec keeps for a thread between messages (this window, the
     * encoder's head, a section's lines); one grown beyond it for an unusually large head is dropped.
     */
    static final int KEPT_SCRATCH = 16 * 1024;

    /**
     * One array per event loop thread, not per connection: a line is parsed as soon as it is read,
     * so idle connections hold no line buffer.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[FIRST_WINDOW];
        }
    };

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;
    /** The buffer the window was copied from; null when there is no valid window. */
    private ByteBuf windowOf;
    /** The buffer index of {@code bytes[0]}, and the index just after the last byte copied. */
    private int windowStart;
    private int windowEnd;
    /** Where the last line read starts in {@link #bytes()}. */
    private int lineStart;
    /** Bytes after the reader index known to hold no LF: the start of a line still incomplete. */
    private int scanned;

    /** A call of the decoder starts or ends: the window is stale, and the buffer is not held. */
    void newInput() {
        windowOf = null;
    }

    /**
     * Consumes the next line of at most {@code maxLength} bytes before its CRLF.
     *
     * @return the length of the line, CRLF excluded, now in {@link #bytes()} from {@link #start()};
     *         or NEED_MORE, or TOO_LONG
     * @throws HttpParseException 400 for a LF without CR before it, or a CR inside the line
     */
    int read(ByteBuf in, int maxLength) throws HttpParseException {
        int from = in.readerIndex();
        int readable = in.readableBytes();
        int end = from + (int) Math.min(readable, maxLength + 2L); // the line and its CRLF end by here
        int at = from + scanned;
        while (at < end) {
            if (windowOf != in || from < windowStart || at >= windowEnd) {
                fill(in, from, at - from + 1, readable);
            }
            int stop = Math.min(end, windowEnd);
            int found = indexOfCrOrLf(bytes, at - windowStart, stop - windowStart);
            if (found < 0) {
                at = stop;
                continue;
            }
            int cr = found + windowStart;
            if (bytes[found] == Ascii.LF) {
                throw HttpParseException.badRequest("bare-lf");
            }
            if (cr + 1 >= end) { // the LF after this CR has not arrived (or would pass the limit)
                at = cr;
                break;
            }
            if (cr + 1 >= windowEnd) {
                fill(in, from, cr + 2 - from, readable);
            }
            if (bytes[cr + 1 - windowStart] != Ascii.LF) {
                throw HttpParseException.badRequest("bare-cr");
            }
            scanned = 0;
            lineStart = from - windowStart;
            int length = cr - from;
            in.skipBytes(length + 2);
            return length;
        }
        scanned = at - from;
        return readable >= maxLength + 2L ? TOO_LONG : NEED_MORE;
    }

    /**
     * Copies the input from {@code from} into the window: at least {@code needed} bytes (all
     * readable ones if fewer), and at least {@link #FIRST_WINDOW} or twice the last window.
     */
    private void fill(ByteBuf in, int from, int needed, int readable) {
        int last = windowOf == in && from >= windowStart ? windowEnd - from : 0;
        int length = Math.min(readable, Math.max(needed, Math.max(FIRST_WINDOW, last * 2)));
        byte[] array = SCRATCH.get();
        if (array.length < length) {
            array = new byte[Math.max(length, array.length * 2)];
            if (array.length <= KEPT_SCRATCH) {
                SCRATCH.set(array);
            }
        }
        in.getBytes(from, array, 0, length);
        bytes = array;
        windowOf = in;
        windowStart = from;
        windowEnd = from + length;
    }

    /**
     * The index of the first CR or LF in {@code bytes[from, to)}, or -1: a line's first one must be
     * the CR of its CRLF. Eight bytes at a time (SWAR): a byte b of word w is CR exactly when the
     * byte of {@code w ^ 0x0D..0D} is zero, and {@code (x - 0x01..01) & ~x & 0x80..80} marks the
     * lowest zero byte of x exactly (marks above it may be false, and are not looked at).
     */
    static int indexOfCrOrLf(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            long crs = word ^ 0x0D0D0D0D0D0D0D0DL;
            long lfs = word ^ 0x0A0A0A0A0A0A0A0AL;
            long zero = ((crs - 0x0101010101010101L) & ~crs | (lfs - 0x0101010101010101L) & ~lfs) & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == Ascii.CR || bytes[i] == Ascii.LF) {
                return i;
            }
        }
        return -1;
    }

    /** The array holding the last line read. */
    byte[] bytes() {
        return bytes;
    }

    /** Where the last line read starts in {@link #bytes()}. */
    int start() {
        return lineStart;
    }

    /** Forgets a partly scanned line: the input it was in is gone. */
    void reset() {
        scanned = 0;
        windowOf = null;
    }
}
