package io.junction.plugin.healthchecks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The wire format of grpc.health.v1, by hand: a HealthCheckRequest is {@code string service = 1},
 * a HealthCheckResponse is {@code ServingStatus status = 1}, each in a 5-byte gRPC message frame
 * (compressed flag, big-endian length).
 */
final class GrpcHealthMessages {

    static final String PATH = "/grpc.health.v1.Health/Check";
    static final int SERVING = 1;
    static final int FRAME_HEADER = 5;

    private static final String[] SERVING_STATUSES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
    private static final String[] GRPC_STATUSES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
        "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

    private GrpcHealthMessages() {
    }

    /** A framed HealthCheckRequest for {@code service}; the caller owns the buffer. */
    static ByteBuf request(ByteBufAllocator alloc, String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        // proto3 leaves out a field at its default, so the whole-server request is an empty message.
        int length = name.length == 0 ? 0 : 1 + varintSize(name.length) + name.length;
        ByteBuf frame = alloc.buffer(FRAME_HEADER + length);
        frame.writeByte(0).writeInt(length);
        if (name.length > 0) {
            frame.writeByte(1 << 3 | 2);
            writeVarint(frame, name.length);
            frame.writeBytes(name);
        }
        return frame;
    }

    /**
     * The serving status in one framed HealthCheckResponse (the readable bytes of {@code frame});
     * unknown fields are skipped, an absent status is UNKNOWN (0).
     *
     * @throws IllegalArgumentException if the bytes are not one uncompressed HealthCheckResponse
     */
    static int servingStatus(ByteBuf frame) {
        if (frame.readableBytes() < FRAME_HEADER) {
            throw new IllegalArgumentException("no response message");
        }
        if (frame.getByte(frame.readerIndex()) != 0) {
            throw new IllegalArgumentException("compressed response message");
        }
        long length = frame.getUnsignedInt(frame.readerIndex() + 1);
        if (length != frame.readableBytes() - FRAME_HEADER) {
            throw new IllegalArgumentException("response message of " + (frame.readableBytes() - FRAME_HEADER)
                    + " bytes, framed as " + length);
        }
        ByteBuf message = frame.slice(frame.readerIndex() + FRAME_HEADER, (int) length);
        int status = 0;
        while (message.isReadable()) {
            long tag = readVarint(message);
            int wireType = (int) (tag & 7);
            if (tag >>> 3 == 1 && wireType == 0) {
                status = (int) readVarint(message);
                continue;
            }
            switch (wireType) {
                case 0 -> readVarint(message);
                case 1 -> skip(message, 8);
                case 2 -> skip(message, readVarint(message));
                case 5 -> skip(message, 4);
                default -> throw new IllegalArgumentException("malformed response message");
            }
        }
        return status;
    }

    static String servingStatusName(int status) {
        return status >= 0 && status < SERVING_STATUSES.length ? SERVING_STATUSES[status] : "serving status " + status;
    }

    static String grpcStatusName(int code) {
        return code >= 0 && code < GRPC_STATUSES.length ? GRPC_STATUSES[code] : "unknown";
    }

    /** The grpc-timeout header value: at most 8 digits and a unit. */
    static String timeout(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        if (millis <= 99_999_999L) {
            return millis + "m";
        }
        long seconds = Math.min(99_999_999L, timeout.toSeconds());
        return seconds + "S";
    }

    private static void writeVarint(ByteBuf out, int value) {
        while ((value & ~0x7f) != 0) {
            out.writeByte(value & 0x7f | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value & ~0x7f) != 0) {
            size++;
            value >>>= 7;
        }
        return size;
    }

    private static long readVarint(ByteBuf in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.isReadable()) {
                throw new IllegalArgumentException("malformed response message");
            }
            byte b = in.readByte();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed response message");
    }

    private static void skip(ByteBuf in, long bytes) {
        if (bytes < 0 || bytes > in.readableBytes()) {
            throw new IllegalArgumentException("malformed response message");
        }
        in.skipBytes((int) bytes);
    }
}
