package io.junction.plugin.http.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds text to a decoder in an {@link EmbeddedChannel} and describes what came out as lines of
 * text, releasing every buffer: body pieces of one message are joined, so that however the input
 * was split, the same messages give the same transcript.
 */
final class Transcript {

    private Transcript() {
    }

    static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, ISO_8859_1);
    }

    /** Writes each piece as its own read. */
    static List<Object> feed(EmbeddedChannel channel, String... pieces) {
        for (String piece : pieces) {
            channel.writeInbound(bytes(piece));
        }
        return drain(channel);
    }

    /** Writes the text a byte at a time. */
    static List<Object> feedBytes(EmbeddedChannel channel, String text) {
        for (int i = 0; i < text.length(); i++) {
            channel.writeInbound(bytes(text.substring(i, i + 1)));
        }
        return drain(channel);
    }

    static List<Object> drain(EmbeddedChannel channel) {
        List<Object> messages = new ArrayList<>();
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            messages.add(message);
        }
        return messages;
    }

    /** Describes and releases the messages. */
    static List<String> describe(List<Object> messages) {
        List<String> lines = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Object message : messages) {
            try {
                if (message instanceof RequestHead head) {
                    lines.add("request " + head.method() + " " + head.target() + " " + head.version() + " " + head.framing()
                            + " " + head.contentLength() + " " + head.headers());
                } else if (message instanceof ResponseHead head) {
                    lines.add("response " + head.version() + " " + head.status() + " '" + head.reason() + "' "
                            + head.framing() + " " + head.contentLength() + " " + head.headers());
                } else if (message instanceof BodyChunk chunk) {
                    body.append(chunk.content().toString(ISO_8859_1));
                } else if (message instanceof LastBodyChunk last) {
                    body.append(last.content().toString(ISO_8859_1));
                    lines.add("end '" + body + "' " + last.trailers());
                    body.setLength(0);
                } else if (message instanceof HttpParseException error) {
                    lines.add("error " + error.status() + " " + error.reason());
                } else if (message instanceof ByteBuf raw) {
                    lines.add("raw '" + raw.toString(ISO_8859_1) + "'");
                } else {
                    lines.add("unexpected " + message);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        if (body.length() > 0) {
            lines.add("partial body '" + body + "'");
        }
        return lines;
    }
}
