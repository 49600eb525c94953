package io.junction.plugin.http.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * {@code HTTP-version SP 3DIGIT SP reason-phrase} (RFC 9112 4): the space after the code is
 * required even when the reason is empty; the code must be 100 to 599.
 */
record StatusLine(HttpVersion version, int status, String reason) {

    /** The status line {@code line[start, start + length)}. */
    static StatusLine parse(byte[] line, int start, int length) throws HttpParseException {
        if (length < 13 || line[start + 8] != Ascii.SP || line[start + 12] != Ascii.SP) {
            throw HttpParseException.badRequest("invalid-status-line");
        }
        HttpVersion version = StartLines.version(line, start, start + 8);
        int status = 0;
        for (int i = start + 9; i < start + 12; i++) {
            if (!Ascii.isDigit(line[i])) {
                throw HttpParseException.badRequest("invalid-status-line");
            }
            status = status * 10 + (line[i] - '0');
        }
        if (status < 100 || status > 599) {
            throw HttpParseException.badRequest("invalid-status");
        }
        int end = start + length;
        for (int i = start + 13; i < end; i++) {
            if (!Ascii.isFieldChar(line[i] & 0xFF)) {
                throw HttpParseException.badRequest("invalid-reason");
            }
        }
        return new StatusLine(version, status, new String(line, start + 13, length - 13, ISO_8859_1));
    }
}
