package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.KnownTexts;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/** Fields from Junction's {@link HttpHeaders} to an HTTP/2 header block: names in lower case, connection-specific fields left out. */
final class Http2Fields {

    private Http2Fields() {
    }

    /** A response block: {@code :status}, then the fields. */
    static Http2Headers response(int status, HttpHeaders headers) {
        Http2Headers block = new DefaultHttp2Headers(false, headers.size() + 1);
        block.status(statusText(status));
        addAll(block, headers);
        return block;
    }

    private static final AsciiString[] STATUS_TEXT = new AsciiString[600];

    static {
        for (int status = 100; status < STATUS_TEXT.length; status++) {
            STATUS_TEXT[status] = AsciiString.cached(Integer.toString(status));
        }
    }

    private static AsciiString statusText(int status) {
        return status >= 100 && status < STATUS_TEXT.length ? STATUS_TEXT[status] : AsciiString.of(Integer.toString(status));
    }

    /** A trailer block (no pseudo-fields). */
    static Http2Headers trailers(HttpHeaders trailers) {
        Http2Headers block = new DefaultHttp2Headers(false, trailers.size());
        addAll(block, trailers);
        return block;
    }

    /** Adds every field but those HTTP/2 forbids (RFC 9113 8.2.2): Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade. */
    static void addAll(Http2Headers block, HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.nameAt(i);
            if (!connectionSpecific(name)) {
                block.add(KnownTexts.lowerCase(name), headers.valueAt(i));
            }
        }
    }

    /**
     * Adds a request's fields but those the pseudo-fields replace or HTTP/2 forbids: Host ({@code :authority}
     * carries it), TE (a writer adds {@code te: trailers} itself when the client asked for it), and the
     * connection-specific ones.
     */
    static void addRequestFields(Http2Headers block, HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.nameAt(i);
            if (!connectionSpecific(name) && !name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("te")) {
                block.add(KnownTexts.lowerCase(name), headers.valueAt(i));
            }
        }
    }

    static boolean connectionSpecific(String name) {
        return switch (name.length()) {
            case 7 -> name.equalsIgnoreCase("upgrade");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            default -> false;
        };
    }
}
