package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Requests as HTTP/2 frames on one stream (RFC 9113 8.3.1): the pseudo-headers from the request line
 * and Host, the fields lower-cased and without the connection-specific ones, then DATA frames, and the
 * end of the request as END_STREAM on the last DATA frame or on a trailing HEADERS frame.
 */
final class Http2RequestWriter implements RequestWriter {

    private final Channel stream;
    private final BackendConnection connection;
    private final Http2ResponseReader reader;
    private final String scheme;
    private boolean ended;

    /**
     * @param connection the stream's handler, told when the HEADERS could not be sent
     * @param reader     the stream's response reader, told the method
     * @param tls        whether the connection is over TLS ({@code :scheme} https)
     */
    Http2RequestWriter(BackendConnection connection, Http2ResponseReader reader, boolean tls) {
        this.stream = connection.channel();
        this.connection = connection;
        this.reader = reader;
        this.scheme = tls ? "https" : "http";
    }

    @Override
    public void writeHead(RequestHead request, String target, HttpHeaders headers, boolean flush) {
        reader.expect(request.method());
        // Not validated again: every name is a token already (checked by the decoder that read it, by the configuration,
        // or Junction's own), lower-cased by Http2Fields.
        Http2Headers fields = new DefaultHttp2Headers(false, headers.size() + 4);
        fields.method(request.method()).scheme(scheme).path(target);
        String authority = headers.get("host");
        if (authority != null) {
            fields.authority(authority);
        }
        Http2Fields.addRequestFields(fields, headers);
        if (request.headers().containsToken("te", "trailers")) { // the one TE value HTTP/2 allows; gRPC needs it
            fields.add("te", "trailers");
        }
        if (request.framing() == BodyFraming.CONTENT_LENGTH) {
            fields.setLong("content-length", request.contentLength());
        }
        // No body, or an empty one: END_STREAM on the HEADERS, rather than an empty DATA frame after them.
        ended = request.framing() == BodyFraming.NONE || (request.framing() == BodyFraming.CONTENT_LENGTH && request.contentLength() == 0);
        DefaultHttp2HeadersFrame frame = new DefaultHttp2HeadersFrame(fields, ended);
        // A HEADERS frame that cannot be written (GOAWAY received, stream limit) never reached the backend.
        ChannelFutureListener notSent = f -> {
            if (!f.isSuccess()) {
                connection.notSent();
            }
        };
        if (flush) {
            stream.writeAndFlush(frame).addListener(notSent);
        } else {
            stream.write(frame).addListener(notSent);
        }
    }

    @Override
    public void writeBody(ByteBuf content) {
        connection.wrote();
        if (ended || !content.isReadable()) {
            content.release();
            return;
        }
        stream.write(new DefaultHttp2DataFrame(content, false), stream.voidPromise());
    }

    @Override
    public void writeEnd(ByteBuf content, HttpHeaders trailers) {
        connection.wrote();
        if (ended) { // ended with the HEADERS
            content.release();
            stream.flush();
            return;
        }
        HttpHeaders kept = ForwardingHeaders.trailers(trailers);
        if (kept.isEmpty()) {
            stream.write(new DefaultHttp2DataFrame(content, true), stream.voidPromise());
        } else {
            writeBody(content);
            Http2Headers fields = new DefaultHttp2Headers(false, kept.size());
            Http2Fields.addAll(fields, kept);
            stream.write(new DefaultHttp2HeadersFrame(fields, true), stream.voidPromise());
        }
        ended = true;
        stream.flush();
    }
}
