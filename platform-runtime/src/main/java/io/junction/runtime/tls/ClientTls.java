package io.junction.runtime.tls;

import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.UpstreamTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * An upstream's TLS, built at load: one client {@link SslContext} (trusted CAs, versions,
 * provider) shared by every connection to the upstream's endpoints. Immutable and thread-safe.
 */
public final class ClientTls implements UpstreamTls {

    private final SslContext context;
    private final UpstreamTlsSection settings;
    private final String serverName;
    private final boolean verify;
    private final String provider;
    private final String description;

    /**
     * @param settings    the section as loaded, defaults filled in
     * @param provider    "OpenSSL (...)" or "JDK", as built
     * @param description one line for the startup log
     */
    ClientTls(SslContext context, UpstreamTlsSection settings, String provider, String description) {
        this.context = context;
        this.settings = settings;
        this.serverName = settings.serverName();
        this.verify = settings.verify();
        this.provider = provider;
        this.description = description;
    }

    @Override
    public SslHandler newHandler(ByteBufAllocator alloc, Endpoint endpoint) {
        InetSocketAddress address = endpoint.address();
        String host = peerHost(endpoint);
        // The peer host keys the context's session cache and is what the JDK's HTTPS identification checks.
        SslHandler handler = context.newHandler(alloc, host, address.getPort());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            // Set explicitly: the engines send SNI on their own only for names with a dot. No SNI for addresses (RFC 6066).
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (verify) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** The name sent and verified for {@code endpoint}: the configured server name, else the endpoint's host as written. */
    String peerHost(Endpoint endpoint) {
        return serverName != null ? serverName : endpoint.address().getHostString();
    }

    boolean verify() {
        return verify;
    }

    /** The upstream's {@code "tls"} as loaded, defaults filled in (file names as written). */
    public UpstreamTlsSection settings() {
        return settings;
    }

    /** "OpenSSL (version)" or "JDK", as built. */
    public String provider() {
        return provider;
    }

    /** One line for the startup log. */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "ClientTls[" + description + "]";
    }
}
