package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * What the request and response decoders share: decode stage by stage while there are bytes, and
 * on the first violation emit it as a message and discard all later input for good.
 */
abstract class StrictMessageDecoder extends ByteToMessageDecoder {

    private boolean failed;

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!failed) {
            lines().newInput();
            try {
                while (step(in, out)) {
                    // on to the next stage
                }
            } catch (HttpParseException e) {
                fail(out, e);
            }
        }
        lines().newInput(); // the input is not held between calls
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** The reader of the message's lines, told of each new call. */
    abstract LineReader lines();

    /** One stage of the message; false when it needs more bytes. */
    abstract boolean step(ByteBuf in, List<Object> out) throws HttpParseException;

    /** The violation as the receiver should see it. */
    abstract HttpParseException reported(HttpParseException violation);

    /** Whether a violation was emitted. */
    final boolean failed() {
        return failed;
    }

    /** Emits the violation; nothing more is decoded. */
    final void fail(List<Object> out, HttpParseException violation) {
        failed = true;
        out.add(reported(violation));
    }
}
