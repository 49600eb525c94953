package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.HttpParseException;
import io.junction.plugin.http.codec.ResponseHead;

/**
 * What Junction keeps of one gRPC call while {@link ClientConnection} proxies it: the service and method
 * (for metrics), the client's deadline from {@code grpc-timeout}, and the status the call ended with.
 * A request is a gRPC call when its content-type is {@code application/grpc}, bare or with a
 * {@code +subtype} or parameters ({@code application/grpc-web} is not).
 */
final class GrpcCall {

    /** The service and method tag of a call whose path is not {@code /service/method}. */
    static final String UNKNOWN_NAME = "unknown";

    /**
     * An HTTP/2 request head that was refused (too large, malformed) but says it is a gRPC call, so that the
     * refusal is a gRPC status; passed from {@link Http2RequestReader} in place of the bare exception.
     */
    record InvalidHead(HttpParseException invalid, String path) {
    }

    /** The request path, "/service/method" for a well-formed call; service and method are cut from it when asked. */
    private final String path;
    private final long arrivedNanos;
    private final long timeoutNanos;
    private GrpcStatus status;

    private GrpcCall(String path, long arrivedNanos, long timeoutNanos) {
        this.path = path == null ? "" : path;
        this.arrivedNanos = arrivedNanos;
        this.timeoutNanos = timeoutNanos;
    }

    static boolean isGrpc(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, "application/grpc", 0, 16)) {
            return false;
        }
        if (contentType.length() == 16) {
            return true;
        }
        char next = contentType.charAt(16);
        return next == '+' || next == ';' || next == ' ';
    }

    /** The call a request is, or null when it is not a gRPC request. */
    static GrpcCall of(HttpHeaders headers, String path, long arrivedNanos) {
        return of(headers.get("content-type"), headers, path, arrivedNanos);
    }

    /** The same, with the request's content-type already looked up. */
    static GrpcCall of(String contentType, HttpHeaders headers, String path, long arrivedNanos) {
        if (!isGrpc(contentType)) {
            return null;
        }
        return new GrpcCall(path, arrivedNanos, GrpcTimeout.parse(headers.get("grpc-timeout")));
    }

    /** A call whose head was refused before it could be read whole. */
    static GrpcCall refused(String path, long arrivedNanos) {
        return new GrpcCall(path, arrivedNanos, GrpcTimeout.ABSENT);
    }

    /** What tells the call's meters apart: its path when that names a service and method, else one shared key. */
    String metersKey() {
        return serviceEnd() < 0 ? UNKNOWN_NAME : path;
    }

    /** Where the service ends in the path ("/service/method"), or -1 when the path does not name one. */
    private int serviceEnd() {
        int slash = !path.startsWith("/") ? -1 : path.indexOf('/', 1);
        boolean named = slash > 1 && slash < path.length() - 1 && path.indexOf('/', slash + 1) < 0;
        return named ? slash : -1;
    }

    String service() {
        int end = serviceEnd();
        return end < 0 ? UNKNOWN_NAME : path.substring(1, end);
    }

    String method() {
        int end = serviceEnd();
        return end < 0 ? UNKNOWN_NAME : path.substring(end + 1);
    }

    long arrivedNanos() {
        return arrivedNanos;
    }

    boolean malformedTimeout() {
        return timeoutNanos == GrpcTimeout.MALFORMED;
    }

    boolean hasDeadline() {
        return timeoutNanos >= 0;
    }

    /** The time left of the client's deadline at {@code now} (negative once past); only with {@link #hasDeadline()}. */
    long remainingNanos(long now) {
        long elapsed = now - arrivedNanos;
        return timeoutNanos - elapsed;
    }

    /**
     * The status of a backend's response head when it is a trailers-only response (HEADERS ending the stream,
     * carrying grpc-status); null for a head that starts a body, or that carries no status.
     */
    static GrpcStatus trailersOnly(ResponseHead head) {
        boolean noBody = head.framing() == BodyFraming.NONE || (head.framing() == BodyFraming.CONTENT_LENGTH && head.contentLength() == 0);
        return noBody ? GrpcStatus.parse(head.headers().get("grpc-status")) : null;
    }

    /** The call's status is known: from a trailers-only head, Junction's own answer, or the end of the stream. */
    void ended(GrpcStatus known) {
        status = known;
    }

    /** The response's trailers arrived: their grpc-status, when there is one, is the call's. */
    void trailers(HttpHeaders trailers) {
        GrpcStatus inTrailers = GrpcStatus.parse(trailers.get("grpc-status"));
        if (inTrailers != null) {
            status = inTrailers;
        }
    }

    /** The status to count: the one known, else {@code otherwise} (the call ended without saying). */
    GrpcStatus status(GrpcStatus otherwise) {
        return status != null ? status : otherwise;
    }

    boolean statusKnown() {
        return status != null;
    }
}
