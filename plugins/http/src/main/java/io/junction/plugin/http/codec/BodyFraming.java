package io.junction.plugin.http.codec;

/** How the end of a message body is found (RFC 9112 6.3). */
public enum BodyFraming {
    /** No body at all. */
    NONE,
    /** Exactly {@code Content-Length} bytes. */
    CONTENT_LENGTH,
    /** The chunked transfer coding, ended by its last chunk. */
    CHUNKED,
    /** Responses only: everything until the server closes the connection. */
    UNTIL_CLOSE
}
