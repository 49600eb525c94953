package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A piece of a message body, never empty, as it arrived (chunked framing already removed).
 * The receiver owns {@code content} and releases it, directly or through this holder.
 */
public record BodyChunk(ByteBuf content) implements ReferenceCounted {

    @Override
    public int refCnt() {
        return content.refCnt();
    }

    @Override
    public BodyChunk retain() {
        content.retain();
        return this;
    }

    @Override
    public BodyChunk retain(int increment) {
        content.retain(increment);
        return this;
    }

    @Override
    public BodyChunk touch() {
        content.touch();
        return this;
    }

    @Override
    public BodyChunk touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return content.release();
    }

    @Override
    public boolean release(int decrement) {
        return content.release(decrement);
    }
}
