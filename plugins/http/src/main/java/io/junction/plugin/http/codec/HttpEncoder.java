package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

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

    private HttpEncoder() {
    }

    /** {@code method SP target SP HTTP/1.1 CRLF}, the fields and the empty line. */
    public static void writeRequestHead(ByteBuf out, String method, String target, HttpHeaders headers) {
        if (!Ascii.isToken(method)) {
            throw new IllegalArgumentException("not a method: " + method);
        }
        if (target.isEmpty() || !allVisible(target)) {
            throw new IllegalArgumentException("not a request target: " + target);
        }
        checkFields(headers);
        ByteBufUtil.writeAscii(out, method);
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, target);
        ByteBufUtil.writeAscii(out, " HTTP/1.1\r\n");
        writeFields(out, headers);
    }

    /** {@code version SP status SP reason CRLF}, the fields and the empty line. */
    public static void writeResponseHead(ByteBuf out, HttpVersion version, int status, String reason, HttpHeaders headers) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not a status code: " + status);
        }
        if (indexOfNonFieldChar(reason) >= 0) {
            throw new IllegalArgumentException("not a reason phrase: " + reason);
        }
        checkFields(headers);
        ByteBufUtil.writeAscii(out, version.text());
        out.writeByte(' ');
        out.writeByte('0' + status / 100);
        out.writeByte('0' + status / 10 % 10);
        out.writeByte('0' + status % 10);
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, reason);
        out.writeBytes(CRLF);
        writeFields(out, headers);
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
        ByteBufUtil.writeAscii(out, Integer.toHexString(size));
        out.writeBytes(CRLF);
        out.writeBytes(data, data.readerIndex(), size);
        out.writeBytes(CRLF);
    }

    /** {@code 0 CRLF}, the trailer fields and the empty line that end a chunked body. */
    public static void writeLastChunk(ByteBuf out, HttpHeaders trailers) {
        checkFields(trailers);
        out.writeBytes(LAST_CHUNK);
        writeFields(out, trailers);
    }

    private static void checkFields(HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.nameAt(i);
            String value = headers.valueAt(i);
            if (!Ascii.isToken(name)) {
                throw new IllegalArgumentException("not a field name: " + name);
            }
            int bad = indexOfNonFieldChar(value);
            if (bad >= 0) {
                throw new IllegalArgumentException("not a field value character in " + name + ": 0x"
                        + Integer.toHexString(value.charAt(bad)));
            }
        }
    }

    private static boolean allVisible(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Ascii.isVisible(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfNonFieldChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Ascii.isFieldChar(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void writeFields(ByteBuf out, HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            ByteBufUtil.writeAscii(out, headers.nameAt(i));
            out.writeByte(':');
            out.writeByte(' ');
            ByteBufUtil.writeAscii(out, headers.valueAt(i));
            out.writeBytes(CRLF);
        }
        out.writeBytes(CRLF);
    }
}
