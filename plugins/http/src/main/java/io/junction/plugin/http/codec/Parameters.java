package io.junction.plugin.http.codec;

/**
 * Checks a run of {@code ;name[=value]} parameters, value a token or quoted-string, with optional
 * whitespace around the {@code ;} and {@code =} (RFC 9112 7.1.1 chunk-ext, RFC 9110 10.1.4
 * transfer-parameter). Trailing whitespace is not part of that grammar and is refused.
 */
final class Parameters {

    private Parameters() {
    }

    /** Whether {@code bytes[start, end)} is zero or more parameters; {@code valueRequired} for transfer-parameters. */
    static boolean isValid(byte[] bytes, int start, int end, boolean valueRequired) {
        int i = start;
        while (i < end) {
            i = skipWhitespace(bytes, i, end);
            if (i == end || bytes[i] != ';') {
                return false;
            }
            i = skipWhitespace(bytes, i + 1, end);
            int name = i;
            i = skipToken(bytes, i, end);
            if (i == name) {
                return false;
            }
            int afterName = i;
            i = skipWhitespace(bytes, i, end);
            if (i < end && bytes[i] == '=') {
                i = skipWhitespace(bytes, i + 1, end);
                int value = i;
                i = i < end && bytes[i] == '"' ? skipQuotedString(bytes, i, end) : skipToken(bytes, i, end);
                if (i <= value) {
                    return false;
                }
            } else if (valueRequired) {
                return false;
            } else {
                i = afterName;
            }
        }
        return true;
    }

    private static int skipWhitespace(byte[] bytes, int i, int end) {
        while (i < end && Ascii.isWhitespace(bytes[i])) {
            i++;
        }
        return i;
    }

    private static int skipToken(byte[] bytes, int i, int end) {
        while (i < end && Ascii.isTchar(bytes[i] & 0xFF)) {
            i++;
        }
        return i;
    }

    /** The index after the closing quote, or -1 when the string is malformed or unterminated. */
    private static int skipQuotedString(byte[] bytes, int i, int end) {
        for (i++; i < end; i++) {
            int c = bytes[i] & 0xFF;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == end || !Ascii.isFieldChar(bytes[i] & 0xFF)) {
                    return -1;
                }
            } else if (!Ascii.isQdtext(c)) {
                return -1;
            }
        }
        return -1;
    }
}
