package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpEncoder;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/** Requests as HTTP/1.1 bytes, framed by Content-Length or chunked as the client framed them. */
final class Http1RequestWriter implements RequestWriter {

    private final BackendConnection connection;
    private final Channel channel;
    private boolean chunked;

    Http1RequestWriter(BackendConnection connection) {
        this.connection = connection;
        this.channel = connection.channel();
    }

    @Override
    public void writeHead(RequestHead request, String target, HttpHeaders headers, boolean flush) {
        chunked = request.framing() == BodyFraming.CHUNKED;
        if (request.framing() == BodyFraming.CONTENT_LENGTH) {
            headers.set("Content-Length", Long.toString(request.contentLength()));
        } else if (chunked) {
            headers.set("Transfer-Encoding", "chunked");
        }
        ByteBuf out = channel.alloc().buffer(256);
        HttpEncoder.writeRequestHead(out, request.method(), target, headers);
        if (flush) {
            channel.writeAndFlush(out, channel.voidPromise());
        } else {
            channel.write(out, channel.voidPromise());
        }
    }

    @Override
    public void writeBody(ByteBuf content) {
        connection.wrote();
        Http1Bodies.write(channel, content, chunked);
    }

    @Override
    public void writeEnd(ByteBuf content, HttpHeaders trailers) {
        if (content.isReadable() || chunked) { // bytes move: not the empty end of a request without a body
            connection.wrote();
        }
        Http1Bodies.write(channel, content, chunked);
        if (chunked) {
            ByteBuf end = channel.alloc().buffer(64);
            HttpEncoder.writeLastChunk(end, ForwardingHeaders.trailers(trailers));
            channel.write(end, channel.voidPromise());
        }
        channel.flush();
    }
}
