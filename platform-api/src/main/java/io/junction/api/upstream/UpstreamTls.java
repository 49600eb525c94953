package io.junction.api.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/**
 * TLS from Junction to an upstream's endpoints, as the upstream's {@code "tls"} configures it:
 * the trusted CAs, the server name, whether the certificate is verified, the TLS versions and the
 * implementation. Available through {@link Upstream#tls()}. Thread-safe. Since API 1.1.
 */
public interface UpstreamTls {

    /**
     * A client-side handler for a new connection to {@code endpoint}, sending the configured
     * server name (or the endpoint's host) as SNI and verifying the certificate chain and host
     * name as configured. Add it first in the connection's pipeline, before any handler that
     * reads or writes application bytes; the connection is usable once the handler's
     * {@link SslHandler#handshakeFuture() handshakeFuture()} succeeds. A failed handshake closes
     * the connection. Call once per connection, on any thread.
     */
    SslHandler newHandler(ByteBufAllocator alloc, Endpoint endpoint);
}
