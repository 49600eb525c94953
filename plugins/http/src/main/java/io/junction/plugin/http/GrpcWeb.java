package io.junction.plugin.http;

import io.junction.plugin.http.codec.BodyFraming;
import io.junction.plugin.http.codec.HttpHeaders;
import io.junction.plugin.http.codec.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Locale;

/**
 * gRPC-Web (the binary {@code application/grpc-web} and {@code application/grpc-web+proto} forms, as
 * browsers send them over HTTP/1.1 or HTTP/2) translated to gRPC for the backend, as Envoy's grpc_web
 * filter does. The request keeps its body (the same length-prefixed messages) and becomes
 * {@code application/grpc} with {@code te: trailers}; the response becomes gRPC-Web again: its
 * content-type, and its trailers sent as the body's last frame (flag 0x80, then {@code name:value\r\n}
 * lines), because a browser cannot read HTTP trailers. A trailers-only answer (status in the head) is
 * valid gRPC-Web as it is. The base64 {@code -text} forms are not translated.
 */
final class GrpcWeb {

    private static final String GRPC_WEB = "application/grpc-web";
    private static final String GRPC = "application/grpc";

    private GrpcWeb() {
    }

    /**
     * Turns a gRPC-Web request (content-type {@code type}) into a gRPC one in place and returns the writer its
     * response must go through (in front of {@code out}); null when the request is not gRPC-Web in its binary form.
     */
    static Writer translateRequest(String type, HttpHeaders headers, ClientWriter out) {
        if (!type.regionMatches(true, 0, GRPC_WEB, 0, GRPC_WEB.length())) {
            return null;
        }
        String rest = type.substring(GRPC_WEB.length());
        if (!(rest.isEmpty() || rest.charAt(0) == '+' || rest.charAt(0) == ';')) {
            return null; // not gRPC-Web, or its base64 -text form
        }
        String grpcType = GRPC + rest;
        headers.set("content-type", grpcType);
        headers.set("te", "trailers");
        return new Writer(out, type, grpcType);
    }

    /** The response's content-type: the request's gRPC-Web one, as Envoy answers (a gRPC answer says only {@code application/grpc}). */
    private static void responseContentType(HttpHeaders headers, String requestType) {
        String type = headers.get("content-type");
        if (type == null || GrpcCall.isGrpc(type)) {
            headers.set("content-type", requestType);
        }
    }

    /** The trailer frame of a gRPC-Web body: 0x80, the length, and the fields as {@code name:value\r\n} lines. */
    static ByteBuf trailerFrame(HttpHeaders trailers) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < trailers.size(); i++) {
            text.append(trailers.nameAt(i).toLowerCase(Locale.ROOT)).append(':').append(trailers.valueAt(i)).append("\r\n");
        }
        ByteBuf frame = Unpooled.buffer(5 + text.length());
        frame.writeByte(0x80);
        frame.writeInt(text.length());
        ByteBufUtil.writeAscii(frame, text);
        return frame;
    }

    /** The response side for one gRPC-Web exchange, in front of the connection's own writer. */
    static final class Writer implements ClientWriter {

        private final ClientWriter out;
        private final String contentType;
        private final String grpcContentType;
        /** The response was trailers-only (its status in the head): nothing to move into the body. */
        private boolean trailersOnly;

        Writer(ClientWriter out, String contentType, String grpcContentType) {
            this.out = out;
            this.contentType = contentType;
            this.grpcContentType = grpcContentType;
        }

        /** The gRPC content-type the request now has. */
        String grpcContentType() {
            return grpcContentType;
        }

        @Override
        public void writeContinue() {
            out.writeContinue();
        }

        @Override
        public void writeInterim(RequestHead request, int status, String reason, HttpHeaders headers) {
            out.writeInterim(request, status, reason, headers);
        }

        @Override
        public boolean writeHead(RequestHead request, int status, String reason, HttpHeaders headers, BodyFraming framing,
                long contentLength, String lengthField, boolean close) {
            responseContentType(headers, contentType);
            trailersOnly = framing == BodyFraming.NONE;
            if (trailersOnly) {
                return out.writeHead(request, status, reason, headers, framing, contentLength, lengthField, close);
            }
            headers.remove("content-length"); // the trailer frame makes the body longer than the backend's
            return out.writeHead(request, status, reason, headers, BodyFraming.CHUNKED, -1, null, close);
        }

        @Override
        public void writeBody(ByteBuf content) {
            out.writeBody(content);
        }

        @Override
        public void writeEnd(ByteBuf content, HttpHeaders trailers) {
            if (trailersOnly) {
                out.writeEnd(content, trailers);
                return;
            }
            if (content.isReadable()) {
                out.writeBody(content);
            } else {
                content.release();
            }
            out.writeBody(trailerFrame(ForwardingHeaders.trailers(trailers)));
            out.writeEnd(Unpooled.EMPTY_BUFFER, new HttpHeaders());
        }

        @Override
        public void writeLocal(RequestHead request, int status, String reason, HttpHeaders headers, byte[] body, boolean close) {
            responseContentType(headers, contentType);
            out.writeLocal(request, status, reason, headers, body, close);
        }
    }
}
