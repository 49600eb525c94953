package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpVersion;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.util.List;

/**
 * Header rewriting between the two hops: hop-by-hop fields (RFC 9110 7.6.1, and those the
 * Connection header names) removed both ways, framing fields left to Junction, and the
 * X-Forwarded-*, Forwarded and Via fields added to requests.
 */
final class ForwardingHeaders {

    /** Fields a trailer section may not carry (RFC 9110 6.5.1): framing, routing, authentication, forwarding. */
    private static final String[] NOT_IN_TRAILERS = {"host", "content-length", "transfer-encoding", "connection",
        "te", "trailer", "authorization", "proxy-authorization", "cookie", "set-cookie", "forwarded", "x-forwarded-for",
        "x-forwarded-proto", "x-forwarded-host", "via", "expect", "content-type", "content-encoding", "upgrade"};

    private static final String VIA_1_0 = "1.0 junction";
    private static final String VIA_1_1 = "1.1 junction";
    private static final String VIA_2 = "2 junction";

    /** Room for the fields a hop adds to a copy (Host, X-Forwarded-*, Via, framing) before it grows. */
    private static final int ADDED_FIELDS = 6;

    /** The client address last written as text; connections from one address share it. */
    private record ClientText(InetAddress address, String text) {
    }

    private final HttpProxyConfig config;
    private volatile ClientText lastClient;

    ForwardingHeaders(HttpProxyConfig config) {
        this.config = config;
    }

    /**
     * Whether {@code s[from, to)} names a field that is hop-by-hop (RFC 9110 7.6.1: Connection, Keep-Alive,
     * Proxy-Connection, TE, Transfer-Encoding, Upgrade), framing (Content-Length: Junction frames each hop
     * itself) or proxy credentials (11.7: Proxy-Authorization, Proxy-Authenticate), ignoring ASCII case.
     * Told apart by length first, allocating nothing: this runs for every field of every message.
     */
    private static boolean hopByHop(String s, int from, int to) {
        int length = to - from;
        if (length == 10) {
            return equalsIgnoreCase(s, from, "connection") || equalsIgnoreCase(s, from, "keep-alive");
        }
        String hop = hopByHopOfLength(length);
        return hop != null && equalsIgnoreCase(s, from, hop);
    }

    /** {@link #hopByHop(String, int, int)} for the name of field {@code index}, without making it a String. */
    private static boolean hopByHop(HttpHeaders headers, int index) {
        int length = headers.nameLength(index);
        if (length == 10) {
            return headers.nameIs(index, "connection") || headers.nameIs(index, "keep-alive");
        }
        String hop = hopByHopOfLength(length);
        return hop != null && headers.nameIs(index, hop);
    }

    /** The hop-by-hop name of that length, for every length but 10 (Connection and Keep-Alive); null if none. */
    private static String hopByHopOfLength(int length) {
        return switch (length) {
            case 2 -> "te";
            case 7 -> "upgrade";
            case 14 -> "content-length";
            case 16 -> "proxy-connection";
            case 17 -> "transfer-encoding";
            case 18 -> "proxy-authenticate";
            case 19 -> "proxy-authorization";
            default -> null;
        };
    }

    /** Whether {@code s[from, from + lowerCase.length())} is {@code lowerCase}, ignoring ASCII case only. */
    private static boolean equalsIgnoreCase(String s, int from, String lowerCase) {
        for (int i = 0; i < lowerCase.length(); i++) {
            if (lower(s.charAt(from + i)) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Whether a Connection field lists a name that is not hop-by-hop anyway: only then must each
     * field be looked for in it. The usual {@code keep-alive}, {@code upgrade}, {@code te} need not.
     */
    private static boolean connectionNamesMore(HttpHeaders headers) {
        for (int i = headers.next("connection", 0); i >= 0; i = headers.next("connection", i + 1)) {
            if (headers.valueIs(i, "keep-alive") || headers.valueIs(i, "close")) {
                continue; // what nearly every Connection field says: nothing more is named
            }
            String value = headers.valueAt(i);
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int from = start;
                int to = end;
                while (from < to && isWhitespace(value.charAt(from))) {
                    from++;
                }
                while (to > from && isWhitespace(value.charAt(to - 1))) {
                    to--;
                }
                if (to > from && !hopByHop(value, from, to)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** A copy of {@code headers} without hop-by-hop and framing fields, nor those its Connection field names. */
    static HttpHeaders endToEnd(HttpHeaders headers) {
        int size = headers.size();
        boolean connectionNames = connectionNamesMore(headers);
        HttpHeaders copy = new HttpHeaders(size + ADDED_FIELDS);
        for (int i = 0; i < size; i++) {
            if (!hopByHop(headers, i) && !(connectionNames && headers.containsToken("connection", headers.nameAt(i)))) {
                copy.addFrom(headers, i);
            }
        }
        return copy;
    }

    /**
     * {@link #endToEnd} in place, for a message nothing reads as received any more (a response head once its
     * framing was taken): no copy of the fields.
     */
    static HttpHeaders stripHopByHop(HttpHeaders headers) {
        if (connectionNamesMore(headers)) {
            return endToEnd(headers); // it names more fields: looked up in the value as received, so on a copy
        }
        headers.removeIf(ForwardingHeaders::hopByHop);
        return headers;
    }

    /** The trailer fields that may be passed on: anything that could change framing, routing or identity is dropped. */
    static HttpHeaders trailers(HttpHeaders trailers) {
        if (trailers.isEmpty()) {
            return trailers;
        }
        HttpHeaders kept = new HttpHeaders(trailers.size());
        for (int i = 0; i < trailers.size(); i++) {
            String name = trailers.nameAt(i);
            if (!notInTrailers(name)) {
                kept.addFrom(trailers, i);
            }
        }
        return kept;
    }

    private static boolean notInTrailers(String name) {
        for (String refused : NOT_IN_TRAILERS) {
            if (refused.length() == name.length() && equalsIgnoreCase(name, 0, refused)) {
                return true;
            }
        }
        return false;
    }

    /** The client address as text, made once per address rather than once per request. */
    private String text(InetAddress client) {
        ClientText last = lastClient;
        // Inet6Address.equals ignores the scope that the text carries: those are compared as objects only.
        if (last != null && (last.address() == client || (client instanceof Inet4Address && client.equals(last.address())))) {
            return last.text();
        }
        String text = client.getHostAddress();
        lastClient = new ClientText(client, text);
        return text;
    }

    /** Adds what the backend should know of the client: X-Forwarded-For/Proto/Host, Forwarded, Via. */
    void addToRequest(HttpHeaders headers, InetAddress client, String host, HttpVersion version, boolean tls) {
        String proto = tls ? "https" : "http";
        String clientText = client == null ? null : text(client);
        switch (config.xForwardedFor()) {
            case append -> {
                if (clientText != null) {
                    String previous = joined(headers, "x-forwarded-for");
                    if (previous == null) {
                        headers.add("X-Forwarded-For", clientText);
                    } else {
                        headers.set("X-Forwarded-For", previous + ", " + clientText);
                    }
                }
                if (!headers.contains("x-forwarded-proto")) {
                    headers.add("X-Forwarded-Proto", proto);
                }
                if (host != null && !headers.contains("x-forwarded-host")) {
                    headers.add("X-Forwarded-Host", host);
                }
            }
            case overwrite -> {
                if (clientText != null) {
                    headers.set("X-Forwarded-For", clientText);
                } else {
                    headers.remove("x-forwarded-for");
                }
                headers.set("X-Forwarded-Proto", proto);
                if (host != null) {
                    headers.set("X-Forwarded-Host", host);
                } else {
                    headers.remove("x-forwarded-host");
                }
            }
            case off -> {
            }
        }
        if (config.forwarded()) {
            StringBuilder element = new StringBuilder();
            if (client != null) {
                element.append("for=").append(client instanceof Inet6Address ? "\"[" + clientText + "]\"" : clientText).append(';');
            }
            element.append("proto=").append(proto);
            if (host != null) {
                element.append(";host=\"").append(host.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            String previous = joined(headers, "forwarded");
            headers.set("Forwarded", previous == null ? element.toString() : previous + ", " + element);
        }
        addVia(headers, version);
    }

    /** Adds the Via element of this hop to a response. */
    void addToResponse(HttpHeaders headers, HttpVersion version) {
        addVia(headers, version);
    }

    private void addVia(HttpHeaders headers, HttpVersion version) {
        if (config.via()) {
            String element = switch (version) {
                case HTTP_1_0 -> VIA_1_0;
                case HTTP_1_1 -> VIA_1_1;
                case HTTP_2 -> VIA_2;
            };
            String previous = joined(headers, "via");
            if (previous == null) {
                headers.add("Via", element);
            } else {
                headers.set("Via", previous + ", " + element);
            }
        }
    }

    /** The values of every field of that name joined as one list; null when there is none. */
    private static String joined(HttpHeaders headers, String name) {
        String first = headers.get(name);
        if (first == null) {
            return null;
        }
        List<String> values = headers.getAll(name);
        return values.size() == 1 ? first : String.join(", ", values);
    }
}
