package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * Writes HTTP/1.1 message heads and chunks in their normalised form: single spaces, CRLF line
 * ends, {@code name: value} fields in order, chunks without extensions. Strings are written one
 * byte per char (ISO-8859-1, so obs-text received is sent back unchanged). Refuses, with an
 * {@link IllegalArgumentException} before writing anything, a method, target, reason, field name
 * or value that could not be read back as written (a CR or LF in a value, for one).
 */
public final class HttpEncoder {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n'};
    private static final byte[] REQUEST_LINE_END = {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};

    /**
     * A head is checked and laid out in one pass into an array of the thread's, then copied into the
     * buffer at once: nothing reaches the buffer before all of it passed, and the buffer sees one
     * bulk write instead of a bounds-checked write per byte.
     */
    private static final FastThreadLocal<Head> HEAD = new FastThreadLocal<>() {
        @Override
        protected Head initialValue() {
            return new Head();
        }
    };

    private HttpEncoder() {
    }

    /** {@code method SP target SP HTTP/1.1 CRLF}, the fields and the empty line. */
    public static void writeRequestHead(ByteBuf out, String method, String target, HttpHeaders headers) {
        Head head = HEAD.get().start(method.length() + target.length() + REQUEST_LINE_END.length + 1);
        if (!head.token(method)) {
            throw new IllegalArgumentException("not a method: " + method);
        }
        head.add((byte) ' ');
        if (target.isEmpty() || !head.visible(target)) {
            throw new IllegalArgumentException("not a request target: " + target);
        }
        head.add(REQUEST_LINE_END);
        head.fields(headers);
        head.writeTo(out);
    }

    /** {@code version SP status SP reason CRLF}, the fields and the empty line. */
    public static void writeResponseHead(ByteBuf out, HttpVersion version, int status, String reason, HttpHeaders headers) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not a status code: " + status);
        }
        String text = version.text();
        Head head = HEAD.get().start(text.length() + 7 + reason.length());
        for (int i = 0; i < text.length(); i++) {
            head.add((byte) text.charAt(i));
        }
        head.add((byte) ' ');
        head.add((byte) ('0' + status / 100));
        head.add((byte) ('0' + status / 10 % 10));
        head.add((byte) ('0' + status % 10));
        head.add((byte) ' ');
        if (head.fieldChars(reason) >= 0) {
            throw new IllegalArgumentException("not a reason phrase: " + reason);
        }
        head.add(CRLF);
        head.fields(headers);
        head.writeTo(out);
    }

    /**
     * {@code size-in-hex CRLF data CRLF}, the readable bytes of {@code data}, which stays as it
     * was (not consumed, not released). Writes nothing for empty data: that would end the body.
     */
    public static void writeChunk(ByteBuf out, ByteBuf data) {
        int size = data.readableBytes();
        if (size == 0) {
            return;
        }
        for (int shift = (31 - Integer.numberOfLeadingZeros(size)) / 4 * 4; shift >= 0; shift -= 4) {
            out.writeByte(Character.forDigit(size >>> shift & 0xF, 16));
        }
        out.writeBytes(CRLF);
        out.writeBytes(data, data.readerIndex(), size);
        out.writeBytes(CRLF);
    }

    /** {@code 0 CRLF}, the trailer fields and the empty line that end a chunked body. */
    public static void writeLastChunk(ByteBuf out, HttpHeaders trailers) {
        Head head = HEAD.get().start(LAST_CHUNK.length);
        head.add(LAST_CHUNK);
        head.fields(trailers);
        head.writeTo(out);
    }

    /** A head being laid out; one per thread, used by one call at a time. */
    private static final class Head {

        private byte[] bytes = new byte[1024];
        private int length;

        Head start(int room) {
            length = 0;
            ensure(room);
            return this;
        }

        private void ensure(int room) {
            if (bytes.length - length < room) {
                bytes = Arrays.copyOf(bytes, Math.max(length + room, bytes.length * 2));
            }
        }

        void add(byte b) {
            ensure(1);
            bytes[length++] = b;
        }

        void add(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        /** Appends {@code s}; false (and the head unusable) unless it is a token. */
        boolean token(String s) {
            int n = s.length();
            ensure(n);
            byte[] b = bytes;
            int p = length;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (!Ascii.isTchar(c)) {
                    return false;
                }
                b[p++] = (byte) c;
            }
            length = p;
            return n > 0;
        }

        /** Appends {@code s}; false (and the head unusable) unless all of it is visible ASCII. */
        boolean visible(String s) {
            int n = s.length();
            ensure(n);
            byte[] b = bytes;
            int p = length;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (!Ascii.isVisible(c)) {
                    return false;
                }
                b[p++] = (byte) c;
            }
            length = p;
            return true;
        }

        /** Appends {@code s}; -1, or the index of its first char a field value may not hold (the head then unusable). */
        int fieldChars(String s) {
            int n = s.length();
            ensure(n);
            byte[] b = bytes;
            int p = length;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (!Ascii.isFieldChar(c)) {
                    return i;
                }
                b[p++] = (byte) c;
            }
            length = p;
            return -1;
        }

        /** The fields as {@code name: value CRLF}, then the empty line. */
        void fields(HttpHeaders headers) {
            byte[] raw = headers.raw();
            int runStart = 0; // lines held as bytes that follow each other in raw are copied at once
            int runEnd = 0;
            for (int i = 0; i < headers.size(); i++) {
                int start = headers.rawStart(i);
                if (start >= 0) { // a line as the decoder read and checked it
                    if (start != runEnd) {
                        copy(raw, runStart, runEnd);
                        runStart = start;
                    }
                    runEnd = headers.rawEnd(i);
                    continue;
                }
                copy(raw, runStart, runEnd);
                runStart = 0;
                runEnd = 0;
                String name = headers.nameAt(i);
                String value = headers.valueAt(i);
                ensure(name.length() + value.length() + 4);
                if (headers.isChecked(i)) {
                    copy(name);
                } else if (!token(name)) {
                    throw new IllegalArgumentException("not a field name: " + name);
                }
                bytes[length++] = ':';
                bytes[length++] = ' ';
                if (headers.isChecked(i)) {
                    copy(value);
                } else {
                    int bad = fieldChars(value);
                    if (bad >= 0) {
                        throw new IllegalArgumentException("not a field value character in " + name + ": 0x"
                                + Integer.toHexString(value.charAt(bad)));
                    }
                }
                bytes[length++] = '\r';
                bytes[length++] = '\n';
            }
            copy(raw, runStart, runEnd);
            add(CRLF);
        }

        /** Appends {@code raw[from, to)}. */
        private void copy(byte[] raw, int from, int to) {
            int n = to - from;
            if (n > 0) {
                ensure(n);
                System.arraycopy(raw, from, bytes, length, n);
                length += n;
            }
        }

        /**
         * Appends a string already known to hold only chars up to 0xFF: the decoder made it from
         * bytes, so it is stored a byte per char and is copied as an array, not char by char.
         */
        @SuppressWarnings("deprecation")
        private void copy(String s) {
            s.getBytes(0, s.length(), bytes, length);
            length += s.length();
        }

        void writeTo(ByteBuf out) {
            out.writeBytes(bytes, 0, length);
            if (bytes.length > LineReader.KEPT_SCRATCH) {
                bytes = new byte[1024];
            }
        }
    }
}
