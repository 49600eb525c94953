package io.junction.plugin.http.codec;

/**
 * A status line and header section that passed every check of {@link ResponseDecoder}, with the
 * framing of the body that follows. Interim (1xx) responses are heads too, ended by an empty
 * {@link LastBodyChunk}.
 *
 * @param reason the reason phrase, possibly empty
 * @param contentLength the body length when {@code framing} is CONTENT_LENGTH, else -1; a response to
 *     HEAD or a 304 has framing NONE whatever its {@code Content-Length} field says
 */
public record ResponseHead(HttpVersion version, int status, String reason, HttpHeaders headers, BodyFraming framing,
        long contentLength) {

    /** Whether the server keeps the connection open after this response. */
    public boolean keepAlive() {
        return framing != BodyFraming.UNTIL_CLOSE && Persistence.keepAlive(version, headers);
    }
}
