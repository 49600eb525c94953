package io.junction.plugin.http.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * The end of a message: its last body bytes (often empty) and its trailer fields (empty unless
 * a chunked body had some). Every decoded message ends with exactly one, even one without a
 * body. The receiver owns {@code content} and releases it, directly or through this holder.
 */
public final class LastBodyChunk implements ReferenceCounted {

    private final ByteBuf content;
    private final HttpHeaders trailers;

    public LastBodyChunk(ByteBuf content, HttpHeaders trailers) {
        this.content = Objects.requireNonNull(content, "content");
        this.trailers = Objects.requireNonNull(trailers, "trailers");
    }

    /** No more bytes and no trailers. */
    public static LastBodyChunk empty() {
        return new LastBodyChunk(Unpooled.EMPTY_BUFFER, new HttpHeaders());
    }

    public ByteBuf content() {
        return content;
    }

    public HttpHeaders trailers() {
        return trailers;
    }

    @Override
    public int refCnt() {
        return content.refCnt();
    }

    @Override
    public LastBodyChunk retain() {
        content.retain();
        return this;
    }

    @Override
    public LastBodyChunk retain(int increment) {
        content.retain(increment);
        return this;
    }

    @Override
    public LastBodyChunk touch() {
        content.touch();
        return this;
    }

    @Override
    public LastBodyChunk touch(Object hint) {
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

    @Override
    public boolean equals(Object other) {
        return other instanceof LastBodyChunk that && content.equals(that.content) && trailers.equals(that.trailers);
    }

    @Override
    public int hashCode() {
        return 31 * content.hashCode() + trailers.hashCode();
    }

    @Override
    public String toString() {
        return "LastBodyChunk[" + content.readableBytes() + " bytes, trailers=" + trailers + "]";
    }
}
