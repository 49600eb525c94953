package io.junction.plugin.http.codec;

/**
 * The framing of a response (RFC 9112 6.3), from the request method and the head: none for HEAD,
 * 1xx, 204 and 304; otherwise chunked, Content-Length, or until the connection closes. The
 * framing fields are checked as strictly as a request's, whatever the status.
 */
final class ResponseHeads {

    private ResponseHeads() {
    }

    static ResponseHead of(StatusLine line, HttpHeaders headers, String requestMethod) throws HttpParseException {
        boolean transferEncoding = headers.contains("transfer-encoding");
        if (transferEncoding) {
            if (line.version() == HttpVersion.HTTP_1_0) {
                throw HttpParseException.badRequest("transfer-encoding-in-http-1.0");
            }
            if (headers.contains("content-length")) {
                throw HttpParseException.badRequest("both-content-length-and-transfer-encoding");
            }
            FramingFields.chunked(headers);
        }
        long length = FramingFields.contentLength(headers);
        int status = line.status();
        BodyFraming framing;
        if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            framing = BodyFraming.NONE;
            length = -1;
        } else if (transferEncoding) {
            framing = BodyFraming.CHUNKED;
        } else if (length >= 0) {
            framing = BodyFraming.CONTENT_LENGTH;
        } else {
            framing = BodyFraming.UNTIL_CLOSE;
        }
        return new ResponseHead(line.version(), status, line.reason(), headers, framing, length);
    }
}
