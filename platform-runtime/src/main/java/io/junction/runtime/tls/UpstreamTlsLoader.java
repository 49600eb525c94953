package io.junction.runtime.tls;

import io.junction.api.upstream.HttpProtocol;
import io.junction.runtime.config.ConfigError;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an upstream's {@link UpstreamTlsSection} into a {@link ClientTls}: reads the CA file
 * (relative to the config file's directory) and builds the client context with the chosen provider.
 * Problems become {@link ConfigError}s at the JSON path of the field to fix.
 */
public final class UpstreamTlsLoader {

    private static final Logger log = LoggerFactory.getLogger(UpstreamTlsLoader.class);

    private UpstreamTlsLoader() {
    }

    /**
     * @param path     the JSON path of the {@code "tls"} object, e.g. {@code upstreams[0].tls}
     * @param upstream the upstream's name, for the warning when verification is off
     * @param protocol the upstream's HTTP version: HTTP/2 offers {@code h2} (only) by ALPN
     */
    public static Optional<ClientTls> load(UpstreamTlsSection section, String path, String upstream, HttpProtocol protocol,
                                           Path baseDirectory, List<ConfigError> errors) {
        int before = errors.size();
        SslProvider provider = ServerTlsLoader.provider(section.provider(), path + ".provider", errors);
        List<X509Certificate> cas = null;
        Path caFile = section.caFile() == null ? null : baseDirectory.resolve(section.caFile()).normalize();
        if (caFile != null) {
            try {
                cas = PemFiles.certificates(caFile);
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(path + ".caFile", e.getMessage()));
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider).protocols(section.protocols());
        if (protocol == HttpProtocol.HTTP_2) {
            // Only h2 is offered; whether the server selected it is checked per connection by the protocol using it.
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2));
        }
        String trust;
        if (!section.verify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            trust = "NOT VERIFIED";
            log.warn("upstream {}: {}.verify is false, so any certificate is trusted and connections to its endpoints can be"
                    + " intercepted; use this for testing only", upstream, path);
        } else if (cas != null) {
            builder.trustManager(cas);
            trust = "trusting " + caFile.getFileName() + " (" + cas.size() + (cas.size() == 1 ? " CA)" : " CAs)");
        } else {
            trust = "trusting the JDK's default CAs"; // no trust manager: the context uses the JDK's default trust store
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | RuntimeException e) {
            errors.add(new ConfigError(path, "cannot be used with the " + ServerTlsLoader.label(provider) + " provider: "
                    + e.getMessage()));
            return Optional.empty();
        }
        String name = section.serverName() == null ? "each endpoint's host" : section.serverName();
        String label = ServerTlsLoader.label(provider);
        String description = label + ", " + String.join("+", section.protocols()) + ", " + trust
                + ", server name " + name + (protocol == HttpProtocol.HTTP_2 ? ", ALPN h2" : "");
        return Optional.of(new ClientTls(context, section, label, description));
    }
}
