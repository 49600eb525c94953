package io.junction.plugin.respond;

import io.junction.api.protocol.ProtocolHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Serves one {@code respond} pipeline: the response is encoded once, at config load, and written
 * to every request. Tracks its connections so a drain can close the idle ones.
 */
public final class RespondHandler implements ProtocolHandler {

    private final RespondConfig config;
    private final HttpResponseStatus status;
    private final HttpHeaders headers;
    private final ByteBuf body;
    private final Set<RespondConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    @Inject
    public RespondHandler(RespondConfig config) {
        this.config = config;
        this.status = HttpResponseStatus.valueOf(config.status());
        this.headers = new DefaultHttpHeaders();
        config.headers().forEach(headers::add);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        if (!headers.contains(HttpHeaderNames.CONTENT_TYPE) && !config.body().isEmpty()) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        this.body = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(config.body().getBytes(StandardCharsets.UTF_8)).asReadOnly());
    }

    @Override
    public void initChannel(Channel channel) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(config.maxHeaderSize().toIntBytes())
                .setMaxChunkSize(64 * 1024);
        RespondConnection connection = new RespondConnection(this);
        channel.pipeline().addLast("http", new HttpServerCodec(decoder))
                .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("respond", connection);
        connections.add(connection);
        channel.closeFuture().addListener(f -> connections.remove(connection));
    }

    @Override
    public void drain() {
        draining = true;
        connections.forEach(RespondConnection::closeIfIdle);
    }

    boolean draining() {
        return draining;
    }

    HttpResponseStatus status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    ByteBuf body() {
        return body.duplicate();
    }
}
