package io.junction.plugin.http.codec;

/**
 * A request line and header section that passed every check of {@link RequestDecoder}, with the
 * framing of the body that follows.
 *
 * @param method the method, case as received
 * @param target the request-target as received: origin-form, absolute-form ({@code http://} or
 *     {@code https://}, lower case) or {@code *} for OPTIONS
 * @param contentLength the body length when {@code framing} is CONTENT_LENGTH, else -1
 */
public record RequestHead(String method, String target, HttpVersion version, HttpHeaders headers, BodyFraming framing,
        long contentLength) {

    /** Whether the client lets the connection carry another request after this one (RFC 9112 9.3). */
    public boolean keepAlive() {
        return Persistence.keepAlive(version, headers);
    }

    /** Whether the client waits for a 100 (Continue) before sending the body (never an HTTP/1.0 one). */
    public boolean expectsContinue() {
        return version != HttpVersion.HTTP_1_0 && headers.containsToken("expect", "100-continue");
    }
}
