package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;

/**
 * How a request reaches a backend connection: HTTP/1.1 bytes ({@link Http1RequestWriter}) or HTTP/2
 * frames on a stream of a shared connection ({@link Http2RequestWriter}). The exchange decides what to
 * send; the writer frames it from the request's own framing.
 */
interface RequestWriter {

    /**
     * Writes the request head: {@code target} in origin form, {@code headers} the end-to-end fields with
     * Junction's edits done and Host set. {@code flush} false leaves it for the end of the request to send.
     */
    void writeHead(RequestHead request, String target, HttpHeaders headers, boolean flush);

    /** Part of the request body, not flushed. The writer owns {@code content}. */
    void writeBody(ByteBuf content);

    /** The end of the request, its last bytes and trailers, flushed. The writer owns {@code content}. */
    void writeEnd(ByteBuf content, HttpHeaders trailers);
}
