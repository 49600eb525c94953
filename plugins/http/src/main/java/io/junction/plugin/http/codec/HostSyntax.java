package io.junction.plugin.http.codec;

/**
 * Checks {@code host [ ":" port ]} (RFC 9110 7.2, RFC 3986 3.2.2): a non-empty reg-name, an IPv4
 * address or a bracketed IPv6 (or IPvFuture) literal, then optionally a port of 1 to 5 digits up
 * to 65535. No userinfo, no zone identifier, no empty port.
 */
final class HostSyntax {

    private static final String SUB_DELIMS = "!$&'()*+,;=";

    private HostSyntax() {
    }

    static boolean isValid(CharSequence authority) {
        int length = authority.length();
        int hostEnd;
        if (length > 0 && authority.charAt(0) == '[') {
            hostEnd = indexOf(authority, ']') + 1;
            if (hostEnd == 0 || !isIpLiteral(authority, 1, hostEnd - 1)) {
                return false;
            }
        } else {
            hostEnd = indexOf(authority, ':');
            hostEnd = hostEnd < 0 ? length : hostEnd;
            if (!isRegName(authority, 0, hostEnd)) {
                return false;
            }
        }
        return hostEnd == length || (authority.charAt(hostEnd) == ':' && isPort(authority, hostEnd + 1, length));
    }

    /** reg-name, which also covers IPv4address; never empty. */
    private static boolean isRegName(CharSequence s, int start, int end) {
        if (start == end) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= end || Ascii.hexValue(s.charAt(i + 1)) < 0 || Ascii.hexValue(s.charAt(i + 2)) < 0) {
                    return false;
                }
                i += 2;
            } else if (!isUnreserved(c) && SUB_DELIMS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(CharSequence s, int start, int end) {
        if (end == start || end - start > 5) {
            return false;
        }
        int port = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (!Ascii.isDigit(c)) {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    private static boolean isIpLiteral(CharSequence s, int start, int end) {
        if (start < end && (s.charAt(start) == 'v' || s.charAt(start) == 'V')) {
            return isIpvFuture(s, start + 1, end);
        }
        return isIpv6(s, start, end);
    }

    /** "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ), the "v" already read. */
    private static boolean isIpvFuture(CharSequence s, int start, int end) {
        int i = start;
        while (i < end && Ascii.hexValue(s.charAt(i)) >= 0) {
            i++;
        }
        if (i == start || i >= end - 1 || s.charAt(i) != '.') {
            return false;
        }
        for (i++; i < end; i++) {
            char c = s.charAt(i);
            if (!isUnreserved(c) && SUB_DELIMS.indexOf(c) < 0 && c != ':') {
                return false;
            }
        }
        return true;
    }

    /** IPv6address of RFC 3986 3.2.2: eight 16-bit groups, one "::" standing for at least one, IPv4 for the last two. */
    static boolean isIpv6(CharSequence s, int start, int end) {
        int groups = 0;
        boolean compressed = false;
        int i = start;
        if (end - start >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            compressed = true;
            i += 2;
        } else if (i < end && s.charAt(i) == ':') {
            return false;
        }
        while (i < end) {
            int groupStart = i;
            while (i < end && i - groupStart < 5 && Ascii.hexValue(s.charAt(i)) >= 0) {
                i++;
            }
            if (i < end && s.charAt(i) == '.') {
                if (!isIpv4(s, groupStart, end)) {
                    return false;
                }
                groups += 2;
                i = end;
                break;
            }
            int digits = i - groupStart;
            if (digits == 0 || digits > 4) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            } else if (i == end) {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    private static boolean isIpv4(CharSequence s, int start, int end) {
        int octets = 0;
        int i = start;
        while (octets < 4) {
            int octetStart = i;
            int value = 0;
            while (i < end && Ascii.isDigit(s.charAt(i)) && i - octetStart < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - octetStart;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(octetStart) == '0')) {
                return false;
            }
            octets++;
            if (octets < 4) {
                if (i >= end || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == end;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || Ascii.isDigit(c) || c == '-' || c == '.' || c == '_'
                || c == '~';
    }

    private static int indexOf(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
