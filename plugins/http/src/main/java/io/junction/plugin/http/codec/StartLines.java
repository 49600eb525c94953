package io.junction.plugin.http.codec;

/** The HTTP-version of a start line (RFC 9112 2.3): case-sensitive, one digit each side of the dot. */
final class StartLines {

    private static final byte[] PREFIX = {'H', 'T', 'T', 'P', '/'};

    private StartLines() {
    }

    /** {@code bytes[start, end)} as a version: 505 for a well-formed version other than 1.0 and 1.1, 400 for anything else. */
    static HttpVersion version(byte[] bytes, int start, int end) throws HttpParseException {
        if (end - start != 8) {
            throw HttpParseException.badRequest("invalid-version");
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (bytes[start + i] != PREFIX[i]) {
                throw HttpParseException.badRequest("invalid-version");
            }
        }
        byte major = bytes[start + 5];
        byte minor = bytes[start + 7];
        if (!Ascii.isDigit(major) || bytes[start + 6] != '.' || !Ascii.isDigit(minor)) {
            throw HttpParseException.badRequest("invalid-version");
        }
        if (major == '1' && minor == '1') {
            return HttpVersion.HTTP_1_1;
        }
        if (major == '1' && minor == '0') {
            return HttpVersion.HTTP_1_0;
        }
        throw new HttpParseException(505, "unsupported-version");
    }
}
