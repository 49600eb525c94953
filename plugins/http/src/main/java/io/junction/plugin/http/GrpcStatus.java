package io.junction.plugin.http;

import io.junction.plugin.http.codec.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * The gRPC status codes (grpc/grpc doc/statuscodes.md), how Junction's own HTTP errors and a backend's
 * HTTP errors map onto them, and the {@code grpc-status}/{@code grpc-message} fields that carry one.
 */
enum GrpcStatus {
    OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
    RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS,
    UNAUTHENTICATED;

    private static final GrpcStatus[] BY_CODE = values();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The numeric code, as {@code grpc-status} carries it. */
    int code() {
        return ordinal();
    }

    /** The name a retry policy uses: lower case with dashes ({@code deadline-exceeded}). */
    String retryName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A code outside 0..16 counts as UNKNOWN (the spec's rule for codes a peer does not know). */
    static GrpcStatus ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }

    /** The status a {@code grpc-status} value names; null when the value is absent or not a number. */
    static GrpcStatus parse(String value) {
        if (value == null || value.isEmpty() || value.length() > 3) {
            return null;
        }
        int code = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            code = code * 10 + (c - '0');
        }
        return ofCode(code);
    }

    /**
     * The status for an error Junction answers itself, by the HTTP status it would have sent and its reason.
     * Like the spec's HTTP table where that fits (404 UNIMPLEMENTED, 502/503 UNAVAILABLE, 400 INTERNAL), but a
     * timeout is DEADLINE_EXCEEDED and a size limit RESOURCE_EXHAUSTED, because Junction knows which it was.
     */
    static GrpcStatus forLocalError(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404, 405, 501, 505 -> UNIMPLEMENTED;
            case 408, 504 -> DEADLINE_EXCEEDED;
            case 413, 414, 431 -> RESOURCE_EXHAUSTED;
            case 429, 502, 503 -> UNAVAILABLE;
            default -> httpStatus >= 500 ? INTERNAL : UNKNOWN;
        };
    }

    /** The spec's "HTTP to gRPC status code mapping", for a backend's non-200 answer without a grpc-status. */
    static GrpcStatus fromHttp(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> UNIMPLEMENTED;
            case 429, 502, 503, 504 -> UNAVAILABLE;
            default -> UNKNOWN;
        };
    }

    /** Whether a backend answering this is at fault (counted against the endpoint, like a 5xx). */
    boolean serverFault() {
        return this == UNKNOWN || this == INTERNAL || this == UNAVAILABLE || this == DATA_LOSS;
    }

    /**
     * A {@code grpc-message} value: UTF-8, with every byte outside 0x20..0x7E and '%' itself written as
     * %XX (PROTOCOL-HTTP2.md, "Percent-Encoded").
     */
    static String encodeMessage(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b >= 0x20 && b <= 0x7e && b != '%';
            if (plain && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(bytes.length + 16);
                out.append(message, 0, i); // all ASCII so far: byte i is char i
            }
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out == null ? message : out.toString();
    }

    /** Status fields, for a trailers-only response or for trailers. */
    HttpHeaders fields(String message, String reason) {
        HttpHeaders fields = new HttpHeaders();
        fields.add("grpc-status", Integer.toString(code()));
        fields.add("grpc-message", encodeMessage(message));
        fields.add("x-junction-error", reason);
        return fields;
    }

    /**
     * A trailers-only response head (served with status 200 and no body): content-type, grpc-status,
     * grpc-message, x-junction-error. {@code http1} adds the Content-Length: 0 an HTTP/1.1 client needs.
     */
    HttpHeaders trailersOnly(String message, String reason, boolean http1) {
        HttpHeaders fields = new HttpHeaders();
        fields.add("content-type", "application/grpc");
        fields.add("grpc-status", Integer.toString(code()));
        fields.add("grpc-message", encodeMessage(message));
        fields.add("x-junction-error", reason);
        if (http1) {
            fields.add("content-length", "0");
        }
        return fields;
    }
}
