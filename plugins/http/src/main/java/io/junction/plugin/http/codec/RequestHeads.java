package io.junction.plugin.http.codec;

/**
 * The checks on a request that need its whole head (RFC 9112 3.2, 6): one valid Host (required
 * in HTTP/1.1), and a framing no other parser could read differently. One per connection: a
 * client sends the same Host on every request, so the last one found valid is not parsed again.
 */
final class RequestHeads {

    private String lastValidHost;

    RequestHead of(RequestLine line, HttpHeaders headers) throws HttpParseException {
        int hosts = headers.count("host");
        if (hosts == 0 && line.version() == HttpVersion.HTTP_1_1) {
            throw HttpParseException.badRequest("missing-host");
        }
        if (hosts > 1) {
            throw HttpParseException.badRequest("multiple-host");
        }
        if (hosts == 1) {
            String host = headers.get("host");
            if (!host.equals(lastValidHost)) {
                if (!HostSyntax.isValid(host)) {
                    throw HttpParseException.badRequest("invalid-host");
                }
                lastValidHost = host;
            }
        }
        if (headers.contains("transfer-encoding")) {
            if (line.version() == HttpVersion.HTTP_1_0) {
                throw HttpParseException.badRequest("transfer-encoding-in-http-1.0");
            }
            if (headers.contains("content-length")) {
                throw HttpParseException.badRequest("both-content-length-and-transfer-encoding");
            }
            FramingFields.chunked(headers);
            return new RequestHead(line.method(), line.target(), line.version(), headers, BodyFraming.CHUNKED, -1);
        }
        long length = FramingFields.contentLength(headers);
        BodyFraming framing = length < 0 ? BodyFraming.NONE : BodyFraming.CONTENT_LENGTH;
        return new RequestHead(line.method(), line.target(), line.version(), headers, framing, length);
    }
}
