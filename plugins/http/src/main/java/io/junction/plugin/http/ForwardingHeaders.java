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

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "content-length");

    private final HttpProxyConfig config;

    ForwardingHeaders(HttpProxyConfig config) {
        this.config = config;
    }

    /** A copy of {@code headers} without hop-by-hop and framing fields. */
    static HttpHeaders endToEnd(HttpHeaders headers) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll("connection")) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        HttpHeaders copy = new HttpHeaders();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !named.contains(lower)) {
                copy.add(name, value);
            }
        });
        return copy;
    }

    /** Adds what the backend should know of the client: X-Forwarded-For/Proto/Host, Forwarded, Via. */
    void addToRequest(HttpHeaders headers, InetAddress client, String host, String version) {
        String clientText = client == null ? null : client.getHostAddress();
        switch (config.xForwardedFor()) {
            case append -> {
                if (clientText != null) {
                    String previous = joined(headers, "x-forwarded-for");
                    headers.set("X-Forwarded-For", previous == null ? clientText : previous + ", " + clientText);
                }
                if (!headers.contains("x-forwarded-proto")) {
                    headers.set("X-Forwarded-Proto", "http");
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
                headers.set("X-Forwarded-Proto", "http");
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
            element.append("proto=http");
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
