package io.junction.plugin.http.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * {@code method SP request-target SP HTTP-version} (RFC 9112 3), one space each, checked and
 * split. The target must be origin-form, absolute-form with a lower-case {@code http} or
 * {@code https} scheme and a valid authority, or {@code *} for OPTIONS; no fragment.
 */
record RequestLine(String method, String target, HttpVersion version) {

    /** The request line {@code line[start, start + length)}. */
    static RequestLine parse(byte[] line, int start, int length) throws HttpParseException {
        int end = start + length;
        int methodEnd = indexOf(line, start, end, Ascii.SP);
        if (methodEnd <= start) {
            throw HttpParseException.badRequest("invalid-request-line");
        }
        for (int i = start; i < methodEnd; i++) {
            if (!Ascii.isTchar(line[i] & 0xFF)) {
                throw HttpParseException.badRequest("invalid-method");
            }
        }
        int targetStart = methodEnd + 1;
        int targetEnd = indexOf(line, targetStart, end, Ascii.SP);
        if (targetEnd <= targetStart) {
            throw HttpParseException.badRequest("invalid-request-line");
        }
        for (int i = targetStart; i < targetEnd; i++) {
            if (!Ascii.isVisible(line[i] & 0xFF) || line[i] == '#') {
                throw HttpParseException.badRequest("invalid-target");
            }
        }
        HttpVersion version = StartLines.version(line, targetEnd + 1, end);
        String method = new String(line, start, methodEnd - start, ISO_8859_1);
        String target = new String(line, targetStart, targetEnd - targetStart, ISO_8859_1);
        if (method.equals("CONNECT")) {
            throw new HttpParseException(501, "connect-not-supported");
        }
        if (!isTargetForm(method, target)) {
            throw HttpParseException.badRequest("invalid-target");
        }
        return new RequestLine(method, target, version);
    }

    private static boolean isTargetForm(String method, String target) {
        if (target.charAt(0) == '/') {
            return true;
        }
        if (target.equals("*")) {
            return method.equals("OPTIONS");
        }
        int authorityStart;
        if (target.startsWith("http://")) {
            authorityStart = "http://".length();
        } else if (target.startsWith("https://")) {
            authorityStart = "https://".length();
        } else {
            return false;
        }
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/' && target.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        return HostSyntax.isValid(target.subSequence(authorityStart, authorityEnd));
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
