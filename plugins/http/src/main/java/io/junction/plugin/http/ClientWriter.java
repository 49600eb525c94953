package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;

/**
 * Where the responses of a client's exchanges go: HTTP/1.x bytes on its connection
 * ({@link Http1ClientWriter}) or HTTP/2 frames on its stream ({@link Http2ClientWriter}). The
 * exchange ({@link ClientConnection}) decides what to send; the writer decides how it is framed.
 * Nothing here flushes except where said: the exchange flushes when a read from the backend ends, and
 * calls {@link #writePending} first.
 */
interface ClientWriter {

    /** A 100 (Continue) Junction sends itself, because it reads a buffered body before it picks a backend; flushed. */
    void writeContinue();

    /** Passes on an interim (1xx) response from the backend, when the client's protocol version can carry it. */
    void writeInterim(RequestHead request, int status, String reason, HttpHeaders headers);

    /**
     * Writes the final response head: {@code headers} are the end-to-end fields with Junction's edits done;
     * {@code framing} and {@code contentLength} are the backend's, and {@code lengthField} the Content-Length
     * a body-less response (to HEAD, a 304) still describes, or null. Returns whether the client connection
     * must close after this response — because {@code close} asked for it, or because the client's protocol
     * can only end this body by closing (HTTP/1.0, unknown length).
     */
    boolean writeHead(RequestHead request, int status, String reason, HttpHeaders headers, BodyFraming framing, long contentLength,
            String lengthField, boolean close);

    /** Part of the response body; dropped for a response without one. The writer owns {@code content}. */
    void writeBody(ByteBuf content);

    /** The end of the response: its last bytes and trailers. The writer owns {@code content}. */
    void writeEnd(ByteBuf content, HttpHeaders trailers);

    /**
     * A whole response Junction makes itself (an error, a redirect, a fixed answer); {@code request} is null
     * when the request could not be read. The body is left out for HEAD. {@code close} says the connection
     * closes after it.
     */
    void writeLocal(RequestHead request, int status, String reason, HttpHeaders headers, byte[] body, boolean close);

    /** Writes what the writer held back to join with what follows (a small response's head); called before every flush. */
    default void writePending() {
    }

    /** Releases what the writer held back: the connection is closing. */
    default void discardPending() {
    }
}
