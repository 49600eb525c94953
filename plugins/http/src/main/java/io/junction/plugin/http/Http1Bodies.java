package io.junction.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/** Body bytes on an HTTP/1.1 connection, as they are or as one chunk; not flushed. */
final class Http1Bodies {

    private static final byte[] CRLF = {'\r', '\n'};

    private Http1Bodies() {
    }

    /** Writes {@code content} (released when written; nothing for empty content, which would end a chunked body). */
    static void write(Channel channel, ByteBuf content, boolean chunked) {
        if (!content.isReadable()) {
            content.release();
            return;
        }
        if (chunked) {
            ByteBuf size = channel.alloc().buffer(18);
            ByteBufUtil.writeAscii(size, Integer.toHexString(content.readableBytes()));
            size.writeBytes(CRLF);
            channel.write(size, channel.voidPromise());
            channel.write(content, channel.voidPromise());
            channel.write(Unpooled.wrappedBuffer(CRLF), channel.voidPromise());
        } else {
            channel.write(content, channel.voidPromise());
        }
    }
}
