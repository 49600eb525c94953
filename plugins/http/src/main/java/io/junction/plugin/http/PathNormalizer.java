package io.junction.plugin.http;

import io.junction.plugin.http.HttpProxyConfig.EscapedSlashes;
import java.util.Arrays;

/**
 * Brings a request path to the one form routing and the backend both see (RFC 3986 6.2.2), so that a
 * path route cannot be walked around by spelling the path another way ({@code /%61dmin},
 * {@code /static/../admin}): percent-encoded unreserved characters are decoded and the other
 * percent-encodings get upper-case hex; {@code .} and {@code ..} segments are removed (RFC 3986
 * 5.2.4); optionally, runs of slashes become one. An encoded slash or backslash ({@code %2F},
 * {@code %5C}) is kept, refused or decoded, as configured. The path without its query; a path that
 * does not start with {@code /} (asterisk-form) is left alone.
 */
final class PathNormalizer {

    /** A path that cannot be normalised: an invalid percent-encoding, or an escaped slash refused. */
    static final class InvalidPath extends Exception {
        private final String reason;

        InvalidPath(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** The x-junction-error reason. */
        String reason() {
            return reason;
        }
    }

    private final boolean mergeSlashes;
    private final EscapedSlashes escapedSlashes;

    PathNormalizer(boolean mergeSlashes, EscapedSlashes escapedSlashes) {
        this.mergeSlashes = mergeSlashes;
        this.escapedSlashes = escapedSlashes;
    }

    /** The normal form of {@code path}: the same instance when it already is one (the usual case). */
    String normalize(String path) throws InvalidPath {
        if (path.isEmpty() || path.charAt(0) != '/' || isNormal(path)) {
            return path;
        }
        String decoded = decodePercents(path);
        return removeDotSegments(decoded);
    }

    /** Whether there is nothing to do: no percent sign, no dot segment, no repeated slash to merge. */
    private boolean isNormal(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                return false;
            }
            if (c == '/' && i + 1 < length) {
                char next = path.charAt(i + 1);
                if (next == '.' || (next == '/' && mergeSlashes)) {
                    return false;
                }
            }
        }
        return true;
    }

    private String decodePercents(String path) throws InvalidPath {
        int length = path.length();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int high = i + 2 < length ? Character.digit(path.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(path.charAt(i + 2), 16) : -1;
            if (high < 0 || low < 0) {
                throw new InvalidPath("invalid-path", "invalid percent-encoding in the path at offset " + i);
            }
            char decoded = (char) (high << 4 | low);
            i += 2;
            if (isUnreserved(decoded)) {
                out.append(decoded);
            } else if ((decoded == '/' || decoded == '\\') && escapedSlashes != EscapedSlashes.keep) {
                if (escapedSlashes == EscapedSlashes.reject) {
                    throw new InvalidPath("escaped-slash-in-path", "an escaped slash or backslash in the path, at offset " + (i - 2));
                }
                out.append(decoded);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(high, 16)))
                        .append(Character.toUpperCase(Character.forDigit(low, 16)));
            }
        }
        return out.toString();
    }

    /** RFC 3986 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /**
     * RFC 3986 5.2.4 on an absolute path, segment by segment: {@code .} goes, {@code ..} takes the
     * segment before it (none above the root); a path ending in either keeps its trailing slash.
     * With {@code mergeSlashes}, empty segments go too (but a trailing slash stays).
     */
    private String removeDotSegments(String path) {
        int length = path.length();
        int[] starts = new int[8];
        int[] ends = new int[8];
        int count = 0;
        boolean trailingSlash = false;
        int start = 1;
        while (start <= length) {
            int end = path.indexOf('/', start);
            boolean last = end < 0;
            if (last) {
                end = length;
            }
            int segmentLength = end - start;
            if (segmentLength == 1 && path.charAt(start) == '.') {
                trailingSlash = last;
            } else if (segmentLength == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                if (count > 0) {
                    count--;
                }
                trailingSlash = last;
            } else if (segmentLength == 0 && mergeSlashes) {
                if (last) {
                    trailingSlash = true;
                }
            } else {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                    ends = Arrays.copyOf(ends, count * 2);
                }
                starts[count] = start;
                ends[count] = end;
                count++;
                trailingSlash = false;
            }
            start = end + 1;
        }
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < count; i++) {
            out.append('/').append(path, starts[i], ends[i]);
        }
        if (trailingSlash || count == 0) {
            out.append('/');
        }
        return out.toString();
    }
}
