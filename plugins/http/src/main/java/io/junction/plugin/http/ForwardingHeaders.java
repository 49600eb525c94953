package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpHeaders;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Header rewriting between the two hops: hop-by-hop fields (RFC 9110 7.6.1, and those the
 * Connection header names) removed both ways, framing fields left to Junction, and the
 * X-Forwarded-*, Forwarded and Via fields added to requests.
 */
final class ForwardingHeaders {

    /** Hop-by-hop (RFC 9110 7.6.1), framing (Junction frames each hop itself), and proxy credentials (11.7). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "transfer-encoding", "upgrade", "content-length", "proxy-authorization", "proxy-authenticate");

    private static final String[] HOP_BY_HOP_NAMES = HOP_BY_HOP.toArray(new String[0]);

    /** Whether a field is hop-by-hop; no allocation (this runs for every field of every message). */
    private static boolean hopByHop(String name) {
        for (String hop : HOP_BY_HOP_NAMES) {
            if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Fields a trailer section may not carry (RFC 9110 6.5.1): framing, routing, authentication, forwarding. */
    private static final Set<String> NOT_IN_TRAILERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "te", "trailer", "authorization", "proxy-authorization", "cookie", "set-cookie", "forwarded", "x-forwarded-for",
            "x-forwarded-proto", "x-forwarded-host", "via", "expect", "content-type", "content-encoding", "upgrade");

    private final HttpProxyConfig config;

    ForwardingHeaders(HttpProxyConfig config) {
        this.config = config;
    }

    /** A copy of {@code headers} without hop-by-hop and framing fields. */
    static HttpHeaders endToEnd(HttpHeaders headers) {
        List<String> named = List.of();
        for (String value : headers.getAll("connection")) {
            if (named.isEmpty()) {
                named = new ArrayList<>();
            }
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        HttpHeaders copy = new HttpHeaders();
        List<String> connectionNamed = named;
        headers.forEach((name, value) -> {
            if (!hopByHop(name) && (connectionNamed.isEmpty() || !connectionNamed.contains(name.toLowerCase(Locale.ROOT)))) {
                copy.add(name, value);
            }
        });
        return copy;
    }

    /** The trailer fields that may be passed on: anything that could change framing, routing or identity is dropped. */
    static HttpHeaders trailers(HttpHeaders trailers) {
        if (trailers.isEmpty()) {
            return trailers;
        }
        HttpHeaders kept = new HttpHeaders();
        trailers.forEach((name, value) -> {
            if (!NOT_IN_TRAILERS.contains(name.toLowerCase(Locale.ROOT))) {
                kept.add(name, value);
            }
        });
        return kept;
    }

    /** Adds what the backend should know of the client: X-Forwarded-For/Proto/Host, Forwarded, Via. */
    void addToRequest(HttpHeaders headers, InetAddress client, String host, String version, boolean tls) {
        String proto = tls ? "https" : "http";
        String clientText = client == null ? null : client.getHostAddress();
        switch (config.xForwardedFor()) {
            case append -> {
                if (clientText != null) {
                    String previous = joined(headers, "x-forwarded-for");
                    headers.set("X-Forwarded-For", previous == null ? clientText : previous + ", " + clientText);
                }
                if (!headers.contains("x-forwarded-proto")) {
                    headers.set("X-Forwarded-Proto", proto);
                }
                if (!headers.contains("x-forwarded-host") && host != null) {
                    headers.set("X-Forwarded-Host", host);
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
    void addToResponse(HttpHeaders headers, String version) {
        addVia(headers, version);
    }

    private void addVia(HttpHeaders headers, String version) {
        if (config.via()) {
            String element = (version.equals("HTTP/1.0") ? "1.0" : "1.1") + " junction";
            String previous = joined(headers, "via");
            headers.set("Via", previous == null ? element : previous + ", " + element);
        }
    }

    private static String joined(HttpHeaders headers, String name) {
        List<String> values = headers.getAll(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
