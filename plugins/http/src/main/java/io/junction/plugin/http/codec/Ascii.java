package io.junction.plugin.http.codec;

/** The character classes of RFC 9110 5.6 and RFC 3986, on bytes read as unsigned values. */
final class Ascii {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Ascii() {
    }

    static boolean isTchar(int c) {
        return c >= 0 && c < 256 && TCHAR[c];
    }

    static boolean isWhitespace(int c) {
        return c == SP || c == HTAB;
    }

    static boolean isVisible(int c) {
        return c > 0x20 && c < 0x7F;
    }

    /** VCHAR, SP, HTAB or obs-text: what a field value, a reason phrase or a quoted-pair may hold. */
    static boolean isFieldChar(int c) {
        return c == HTAB || (c >= 0x20 && c != 0x7F && c <= 0xFF);
    }

    /** qdtext of RFC 9110 5.6.4. */
    static boolean isQdtext(int c) {
        return isFieldChar(c) && c != '"' && c != '\\';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The value of a hexadecimal digit, or -1. */
    static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean isToken(CharSequence s) {
        int length = s.length();
        if (length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Equality ignoring the case of ASCII letters only, unlike {@link String#equalsIgnoreCase}. */
    static boolean equalsIgnoreCase(CharSequence a, int aStart, int aEnd, CharSequence b) {
        if (aEnd - aStart != b.length()) {
            return false;
        }
        for (int i = aStart; i < aEnd; i++) {
            if (toLower(a.charAt(i)) != toLower(b.charAt(i - aStart))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code bytes[from, from + b.length())} is {@code b}, ignoring the case of ASCII letters only. */
    static boolean equalsIgnoreCase(byte[] bytes, int from, CharSequence b) {
        for (int i = 0; i < b.length(); i++) {
            if (toLower((char) (bytes[from + i] & 0xFF)) != toLower(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsIgnoreCase(CharSequence a, CharSequence b) {
        return equalsIgnoreCase(a, 0, a.length(), b);
    }

    static char toLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
