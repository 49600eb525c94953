package io.junction.plugin.http.codec;

import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.Map;

/**
 * The names (and a few values) that HTTP/2 header blocks carry on almost every request, as shared
 * strings: an HPACK decoder hands out its field texts as {@link AsciiString}s, and turning each into a
 * fresh {@link String} was a String and a byte array per field, three header blocks per proxied call.
 * A text that is not known is copied as before. Immutable after class initialisation, so shared by
 * every event loop.
 */
public final class KnownTexts {

    /** Field names: HPACK's static table (RFC 7541 appendix A), gRPC's and the forwarding ones. */
    private static final String[] NAMES = {
        "accept", "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "access-control-allow-origin", "age",
        "allow", "authorization", "cache-control", "content-disposition", "content-encoding", "content-language",
        "content-length", "content-location", "content-range", "content-type", "cookie", "date", "etag", "expect", "expires",
        "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified",
        "link", "location", "max-forwards", "proxy-authenticate", "proxy-authorization", "range", "referer", "refresh",
        "retry-after", "server", "set-cookie", "strict-transport-security", "transfer-encoding", "user-agent", "vary", "via",
        "www-authenticate", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message",
        "grpc-status-details-bin", "grpc-previous-rpc-attempts", "grpc-retry-pushback-ms", "x-forwarded-for",
        "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-request-id", "traceparent", "tracestate", "origin",
        "x-user-agent", "x-grpc-web", "x-junction-error", "content-md5", "pragma", "upgrade-insecure-requests", "dnt", "priority",
    };

    /** Values as common as names on gRPC calls and simple requests. */
    private static final String[] VALUES = {
        "application/grpc", "application/grpc+proto", "trailers", "0", "identity", "gzip", "deflate", "identity,deflate,gzip",
        "gzip, deflate", "gzip, deflate, br", "*/*", "application/json", "text/plain", "text/html", "no-cache", "http", "https",
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH",
    };

    private static final Map<AsciiString, String> KNOWN = new HashMap<>();
    /** The known names as HTTP/1.1 usually capitalises them ("Content-Type"), to their lower-case spelling. */
    private static final Map<String, String> CAPITALISED = new HashMap<>();

    static {
        for (String name : NAMES) {
            KNOWN.put(AsciiString.cached(name), name);
            CAPITALISED.put(capitalise(name), name);
        }
        for (String value : VALUES) {
            KNOWN.put(AsciiString.cached(value), value);
        }
    }

    private KnownTexts() {
    }

    /** {@code text} as a String: a shared one when it is a known text, else a copy. */
    public static String of(CharSequence text) {
        if (text instanceof AsciiString ascii && ascii.length() <= 32) {
            String known = KNOWN.get(ascii);
            if (known != null) {
                return known;
            }
        }
        return text.toString();
    }

    /**
     * The lower-case spelling of a field name as HTTP/2 wants it: the same string when it has no upper-case
     * letter, a shared one when it is a known name capitalised the usual way, else a lower-cased copy.
     */
    public static CharSequence lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                String known = CAPITALISED.get(name);
                return known != null ? known : AsciiString.of(name).toLowerCase();
            }
        }
        return name;
    }

    private static String capitalise(String name) {
        StringBuilder capitalised = new StringBuilder(name.length());
        boolean start = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            capitalised.append(start ? Character.toUpperCase(c) : c);
            start = c == '-';
        }
        return capitalised.toString();
    }
}
