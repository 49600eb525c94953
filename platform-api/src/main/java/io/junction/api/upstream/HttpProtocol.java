package io.junction.api.upstream;

/**
 * The HTTP version a protocol speaks to an upstream's endpoints ({@code "httpProtocol"} of the
 * upstream). Only protocols that send HTTP requests read it; {@code tcp} relays bytes whatever it
 * says. Since API 1.3.
 */
public enum HttpProtocol {
    /** HTTP/1.1 over one connection per request in flight: {@code "http/1.1"}, the default. */
    HTTP_1_1,
    /**
     * HTTP/2, many requests as streams of one connection: {@code "h2"}. Over plain connections it is
     * spoken with prior knowledge (h2c); with {@link Upstream#tls()} the TLS handshake offers only
     * {@code h2} by ALPN, and a connection whose server does not select it is not used.
     */
    HTTP_2
}
