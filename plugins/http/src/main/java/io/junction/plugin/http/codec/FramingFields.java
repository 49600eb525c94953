package io.junction.plugin.http.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the two fields that frame a body, refusing anything two parsers could read differently:
 * Content-Length must be one field of digits only (a repeated field or a list is refused even
 * when its values agree), Transfer-Encoding must be exactly {@code chunked}.
 */
final class FramingFields {

    private FramingFields() {
    }

    /** The Content-Length, or -1 without one. */
    static long contentLength(HttpHeaders headers) throws HttpParseException {
        int count = headers.count("content-length");
        if (count == 0) {
            return -1;
        }
        if (count > 1) {
            throw HttpParseException.badRequest("multiple-content-length");
        }
        String value = headers.get("content-length");
        if (value.isEmpty()) {
            throw HttpParseException.badRequest("invalid-content-length");
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Ascii.isDigit(c)) {
                throw HttpParseException.badRequest("invalid-content-length");
            }
            int digit = c - '0';
            if (length > (Long.MAX_VALUE - digit) / 10) {
                throw HttpParseException.badRequest("invalid-content-length");
            }
            length = length * 10 + digit;
        }
        return length;
    }

    /**
     * Whether the body is chunked: false without Transfer-Encoding, true when it is exactly one
     * {@code chunked}. Any other coding is 501 when well-formed, 400 when not, or when chunked is
     * not the last coding, or is applied twice (RFC 9112 6.3).
     */
    static boolean chunked(HttpHeaders headers) throws HttpParseException {
        int count = headers.count("transfer-encoding");
        if (count == 0) {
            return false;
        }
        String only = headers.get("transfer-encoding");
        if (count == 1 && Ascii.equalsIgnoreCase(only, "chunked")) {
            return true;
        }
        List<String> codings = new ArrayList<>();
        for (String value : headers.getAll("transfer-encoding")) {
            for (String element : value.split(",", -1)) {
                codings.add(trimWhitespace(element));
            }
        }
        int chunked = 0;
        for (int i = 0; i < codings.size(); i++) {
            byte[] coding = codings.get(i).getBytes(ISO_8859_1);
            int name = 0;
            while (name < coding.length && Ascii.isTchar(coding[name] & 0xFF)) {
                name++;
            }
            if (name == 0 || !Parameters.isValid(coding, name, coding.length, true)) {
                throw HttpParseException.badRequest("invalid-transfer-encoding");
            }
            if (Ascii.equalsIgnoreCase(codings.get(i), 0, name, "chunked")) {
                chunked++;
                if (chunked > 1 || i < codings.size() - 1 || name < coding.length) {
                    throw HttpParseException.badRequest("invalid-transfer-encoding");
                }
            }
        }
        throw new HttpParseException(501, "unsupported-transfer-encoding");
    }

    private static String trimWhitespace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Ascii.isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && Ascii.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}
