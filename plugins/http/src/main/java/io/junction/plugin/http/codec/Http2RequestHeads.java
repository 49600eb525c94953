package io.junction.plugin.http.codec;

import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;

/**
 * An HTTP/2 request's HEADERS frame checked and turned into the {@link RequestHead} the proxy works
 * with (RFC 9113 8.3): the pseudo-header fields become method and target, {@code :authority} becomes
 * Host, split {@code cookie} fields are joined (8.2.3). Whatever an HTTP/1.1 hop could read differently
 * is refused here, as {@link RequestDecoder} refuses it: connection-specific fields, a TE other than
 * {@code trailers}, field values with CR, LF, NUL or surrounding whitespace, a malformed
 * content-length, an invalid method, target or authority. The body's framing is its stream's: none when
 * HEADERS ends the stream, else the content-length, else of unknown length (sent chunked to HTTP/1.1).
 */
public final class Http2RequestHeads {

    private Http2RequestHeads() {
    }

    public static RequestHead of(Http2Headers fields, boolean endStream, HttpLimits limits) throws HttpParseException {
        CharSequence method = fields.method();
        CharSequence path = fields.path();
        if (method == null || method.length() == 0) {
            throw HttpParseException.badRequest("invalid-method");
        }
        String methodText = method.toString();
        if (!Ascii.isToken(methodText)) {
            throw HttpParseException.badRequest("invalid-method");
        }
        if (methodText.equals("CONNECT")) {
            throw new HttpParseException(501, "connect-not-supported");
        }
        if (path == null || path.length() == 0) {
            throw HttpParseException.badRequest("invalid-target");
        }
        if (path.length() > limits.maxRequestLineLength()) {
            throw new HttpParseException(414, "request-line-too-long");
        }
        String target = path.toString();
        if (!validTarget(methodText, target)) {
            throw HttpParseException.badRequest("invalid-target");
        }
        CharSequence authority = fields.authority();
        HttpHeaders headers = new HttpHeaders(fields.size() + 2);
        String cookies = null;
        String host = null;
        int count = 0;
        long headerBytes = 0;
        for (Map.Entry<CharSequence, CharSequence> field : fields) {
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue; // checked by the HTTP/2 codec: only the four request pseudo-fields, before all others
            }
            String nameText = KnownTexts.of(name);
            String value = KnownTexts.of(field.getValue());
            if (++count > limits.maxHeaderCount()) {
                throw new HttpParseException(431, "too-many-header-fields");
            }
            headerBytes += nameText.length() + value.length() + 4;
            if (headerBytes > limits.maxHeaderSize()) {
                throw new HttpParseException(431, "header-section-too-large");
            }
            if (!Ascii.isToken(nameText) || hasUpperCase(nameText)) {
                throw HttpParseException.badRequest("invalid-field-name");
            }
            if (!validValue(value)) {
                throw HttpParseException.badRequest("invalid-field-value");
            }
            switch (nameText) {
                case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" ->
                        throw HttpParseException.badRequest("connection-specific-field");
                case "te" -> {
                    if (!value.equals("trailers")) {
                        throw HttpParseException.badRequest("connection-specific-field");
                    }
                    headers.add(nameText, value);
                }
                case "cookie" -> cookies = cookies == null ? value : cookies + "; " + value;
                case "host" -> {
                    if (host != null) {
                        throw HttpParseException.badRequest("multiple-host");
                    }
                    host = value;
                }
                default -> headers.add(nameText, value);
            }
        }
        if (authority != null && authority.length() > 0) {
            host = authority.toString(); // 8.3.1: :authority wins over a Host field
        }
        if (host == null) {
            throw HttpParseException.badRequest("missing-host");
        }
        if (!HostSyntax.isValid(host)) {
            throw HttpParseException.badRequest("invalid-host");
        }
        headers.add("host", host);
        if (cookies != null) {
            headers.add("cookie", cookies);
        }
        long length = FramingFields.contentLength(headers);
        if (endStream) {
            if (length > 0) {
                throw HttpParseException.badRequest("content-length-mismatch");
            }
            return new RequestHead(methodText, target, HttpVersion.HTTP_2, headers, BodyFraming.NONE, -1);
        }
        BodyFraming framing = length < 0 ? BodyFraming.CHUNKED : BodyFraming.CONTENT_LENGTH;
        return new RequestHead(methodText, target, HttpVersion.HTTP_2, headers, framing, length);
    }

    /** Trailer fields of a request, checked like header fields; pseudo-fields are not allowed in trailers. */
    public static HttpHeaders trailers(Http2Headers fields, HttpLimits limits) throws HttpParseException {
        HttpHeaders trailers = new HttpHeaders(fields.size());
        int count = 0;
        for (Map.Entry<CharSequence, CharSequence> field : fields) {
            String name = KnownTexts.of(field.getKey());
            String value = KnownTexts.of(field.getValue());
            if (++count > limits.maxHeaderCount()) {
                throw new HttpParseException(431, "too-many-header-fields");
            }
            if (name.isEmpty() || name.charAt(0) == ':' || !Ascii.isToken(name) || hasUpperCase(name)) {
                throw HttpParseException.badRequest("invalid-field-name");
            }
            if (!validValue(value)) {
                throw HttpParseException.badRequest("invalid-field-value");
            }
            trailers.add(name, value);
        }
        return trailers;
    }

    private static boolean validTarget(String method, String target) {
        if (target.equals("*")) {
            return method.equals("OPTIONS");
        }
        if (target.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (!Ascii.isVisible(c) || c == '#') {
                return false;
            }
        }
        return true;
    }

    /** RFC 9113 8.2.1: no NUL, CR or LF, no whitespace at either end; otherwise field characters as in HTTP/1.1. */
    private static boolean validValue(String value) {
        int length = value.length();
        if (length == 0) {
            return true;
        }
        if (Ascii.isWhitespace(value.charAt(0)) || Ascii.isWhitespace(value.charAt(length - 1))) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!Ascii.isFieldChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasUpperCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return true;
            }
        }
        return false;
    }
}
