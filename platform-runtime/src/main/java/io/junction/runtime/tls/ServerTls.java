package io.junction.runtime.tls;

import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.time.Duration;
import java.util.List;

/**
 * A pipeline's TLS, checked and built at load: one {@link SslContext} per certificate, chosen by
 * the client's server name. Immutable and shared by the pipeline's connections.
 *
 * @param contexts     server name to context; unknown names and clients without SNI get the default
 * @param provider     "OpenSSL" or "JDK", as built
 * @param certificates one line per certificate, for the startup log
 */
public record ServerTls(Mapping<String, SslContext> contexts, Duration handshakeTimeout, String provider,
                        List<String> protocols, List<String> alpn, List<String> certificates) {

    public ServerTls {
        protocols = List.copyOf(protocols);
        alpn = List.copyOf(alpn);
        certificates = List.copyOf(certificates);
    }

    /** A handler that reads the ClientHello, picks the context by SNI and replaces itself with an {@code SslHandler}. */
    public SniHandler newHandler() {
        return new SniHandler(contexts, handshakeTimeout.toMillis());
    }

    /** One line for the startup log. */
    public String describe() {
        return provider + ", " + String.join("+", protocols) + ", ALPN " + (alpn.isEmpty() ? "off" : alpn)
                + ", certificates: " + String.join("; ", certificates);
    }
}
