package io.junction.runtime.tls;

import io.junction.runtime.config.ConfigError;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a pipeline's {@link TlsSection} into a {@link ServerTls}: reads every PEM file (relative to
 * the config file's directory), checks that each key belongs to its certificate, builds the
 * contexts with the chosen provider and maps server names to them. Problems become
 * {@link ConfigError}s at the JSON path of the field to fix.
 */
public final class ServerTlsLoader {

    private static final Logger log = LoggerFactory.getLogger(ServerTlsLoader.class);

    private ServerTlsLoader() {
    }

    /** @param path the JSON path of the {@code "tls"} object, e.g. {@code pipelines[0].tls} */
    public static Optional<ServerTls> load(TlsSection section, String path, Path baseDirectory, List<ConfigError> errors) {
        int before = errors.size();
        SslProvider provider = provider(section.provider(), path + ".provider", errors);
        List<Loaded> loaded = new ArrayList<>();
        for (int i = 0; i < section.certificates().size(); i++) {
            String at = path + ".certificates[" + i + "]";
            certificate(section.certificates().get(i), at, baseDirectory, errors).ifPresent(loaded::add);
        }
        if (errors.size() > before) {
            return Optional.empty();
        }

        Loaded fallback = loaded.stream().filter(c -> c.section.serverNames() == null).findFirst().orElse(loaded.get(0));
        Map<String, Loaded> names = new LinkedHashMap<>();
        for (Loaded c : loaded) { // explicit names first: they win over names taken from certificates
            for (String name : c.section.serverNames() == null ? List.<String>of() : c.section.serverNames()) {
                Loaded first = names.putIfAbsent(name, c);
                if (first != null) {
                    errors.add(new ConfigError(c.path + ".serverNames", "\"" + name + "\" is also listed by " + first.path
                            + "; each server name belongs to one certificate"));
                }
            }
        }
        for (Loaded c : loaded) {
            if (c.section.serverNames() == null) {
                List<String> own = ServerNames.of(c.chain.get(0));
                if (own.isEmpty() && c != fallback) {
                    errors.add(new ConfigError(c.path + ".serverNames", "the certificate in " + c.certFile
                            + " has no DNS subject alternative names, so no client would get it; list \"serverNames\""));
                }
                own.forEach(name -> names.putIfAbsent(name, c));
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }

        Map<Loaded, SslContext> contexts = new LinkedHashMap<>();
        for (Loaded c : loaded) {
            try {
                contexts.put(c, context(c, section, provider));
            } catch (SSLException | RuntimeException e) {
                errors.add(new ConfigError(c.path, "cannot be used with the " + label(provider) + " provider: " + e.getMessage()));
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(contexts.get(fallback));
        names.forEach((name, c) -> mapping.add(name, contexts.get(c)));

        List<String> described = new ArrayList<>();
        for (Loaded c : loaded) {
            List<String> served = names.entrySet().stream().filter(e -> e.getValue() == c).map(Map.Entry::getKey).toList();
            described.add(c.certFile.getFileName() + " " + served + (c == fallback ? " (default)" : ""));
        }
        return Optional.of(new ServerTls(mapping.build(), section.handshakeTimeout(), label(provider), section.protocols(),
                section.alpn(), described));
    }

    private record Loaded(TlsCertificateSection section, String path, Path certFile, List<X509Certificate> chain, PrivateKey key) {
    }

    private static Optional<Loaded> certificate(TlsCertificateSection section, String path, Path baseDirectory,
                                                List<ConfigError> errors) {
        Path certFile = baseDirectory.resolve(section.cert()).normalize();
        Path keyFile = baseDirectory.resolve(section.key()).normalize();
        List<X509Certificate> chain = null;
        PrivateKey key = null;
        try {
            chain = PemFiles.certificates(certFile);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(path + ".cert", e.getMessage()));
        }
        try {
            key = PemFiles.privateKey(keyFile);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(path + ".key", e.getMessage()));
        }
        if (chain == null || key == null) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.get(0);
        if (!KeyMatch.matches(key, leaf)) {
            errors.add(new ConfigError(path + ".key", "the key in " + keyFile + " does not belong to the certificate in " + certFile
                    + " (" + leaf.getSubjectX500Principal().getName() + "); check that they are a pair and that the server's own"
                    + " certificate comes first in " + certFile.getFileName()));
            return Optional.empty();
        }
        if (leaf.getNotAfter().before(new Date())) {
            log.warn("{}.cert: the certificate in {} ({}) expired on {}; clients will refuse it", path, certFile,
                    leaf.getSubjectX500Principal().getName(), leaf.getNotAfter().toInstant());
        }
        return Optional.of(new Loaded(section, path, certFile, chain, key));
    }

    private static SslContext context(Loaded c, TlsSection section, SslProvider provider) throws SSLException {
        ApplicationProtocolConfig alpn = section.alpn().isEmpty() ? ApplicationProtocolConfig.DISABLED
                : new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
                        SelectedListenerFailureBehavior.ACCEPT, section.alpn());
        return SslContextBuilder.forServer(c.key, c.chain.toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols(section.protocols())
                .applicationProtocolConfig(alpn)
                .build();
    }

    static SslProvider provider(String name, String path, List<ConfigError> errors) {
        return switch (name) {
            case "jdk" -> SslProvider.JDK;
            case "openssl" -> {
                if (!OpenSsl.isAvailable()) {
                    errors.add(new ConfigError(path, "OpenSSL is not available here (" + OpenSsl.unavailabilityCause()
                            + "); use \"auto\" or \"jdk\""));
                }
                yield SslProvider.OPENSSL;
            }
            default -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    static String label(SslProvider provider) {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL (" + OpenSsl.versionString() + ")";
    }
}
