package io.junction.plugin.http;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * Netty's HTTP/2 frame codec builders, for both sides of the proxy, with the outbound bytes shared
 * among streams by {@link UniformStreamByteDistributor} instead of Netty's default priority tree
 * ({@code WeightedFairQueueByteDistributor}). RFC 9113 (5.3.2) deprecates the priority signals that tree
 * honours, and it keeps state, parent-change events and a queue per stream, which showed in the allocation
 * profile of a proxied gRPC call; the uniform one still shares the window among the streams with data, so
 * one stream cannot starve another.
 */
final class Http2Codecs extends Http2FrameCodecBuilder {

    private Http2Codecs(boolean server) {
        Http2Connection connection = new DefaultHttp2Connection(server);
        connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
        connection(connection);
        gracefulShutdownTimeoutMillis(0); // as Netty's forServer() and forClient() do
    }

    /** A builder of the codec of a connection from a client. */
    static Http2FrameCodecBuilder server() {
        return new Http2Codecs(true);
    }

    /** A builder of the codec of a connection to a backend. */
    static Http2FrameCodecBuilder client() {
        return new Http2Codecs(false);
    }
}
