package io.junction.plugin.http.codec;

/**
 * A message that breaks the HTTP/1.1 syntax or Junction's limits. The decoders never throw it:
 * they emit it as a message in place of the rest of the input, which they then discard.
 * A checked exception so that the parsers must say where they may give up; it has no stack
 * trace, as a peer can make as many as it likes.
 */
public final class HttpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    /**
     * @param status the status to answer a request with (400, 414, 431, 501, 505); 502 for a response
     * @param reason a short lower-case hyphenated word for an {@code x-junction-error} header and metrics
     */
    public HttpParseException(int status, String reason) {
        super(status + " " + reason, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    static HttpParseException badRequest(String reason) {
        return new HttpParseException(400, reason);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
