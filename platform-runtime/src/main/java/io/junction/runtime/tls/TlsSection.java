package io.junction.runtime.tls;

import io.junction.api.config.ConfigDoc;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code "tls"} of a pipeline: terminate TLS on every accepted connection, after the connection
 * filters and before the protocol. The files are read and checked by {@link ServerTlsLoader},
 * which knows the config file's directory.
 */
@ConfigDoc("Terminate TLS on this pipeline's connections; the protocol then sees plaintext.")
public record TlsSection(
        @ConfigDoc(value = "Certificates with their keys. A client's server name (SNI) picks one; the first certificate without"
                + " serverNames (else the first) serves clients without SNI or with an unknown name.", required = true)
        List<TlsCertificateSection> certificates,
        @ConfigDoc(value = "TLS versions accepted: \"TLSv1.3\" and/or \"TLSv1.2\".", defaultValue = "[\"TLSv1.3\", \"TLSv1.2\"]")
        List<String> protocols,
        @ConfigDoc(value = "Application protocols offered with ALPN, most preferred first; [] turns ALPN off.",
                defaultValue = "[\"http/1.1\"]")
        List<String> alpn,
        @ConfigDoc(value = "Most time for the ClientHello to arrive and, again, for the handshake to finish.", defaultValue = "10s")
        Duration handshakeTimeout,
        @ConfigDoc(value = "TLS implementation: \"auto\" (OpenSSL when available, else the JDK's), \"openssl\" or \"jdk\".",
                defaultValue = "auto")
        String provider) {

    /** Versions a pipeline may accept; older ones are broken or deprecated (RFC 8996). */
    public static final List<String> VERSIONS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> PROVIDERS = List.of("auto", "openssl", "jdk");
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public TlsSection {
        if (certificates == null || certificates.isEmpty()) {
            throw new IllegalArgumentException("certificates: is required, e.g. [{\"cert\": \"tls/site.pem\", \"key\": \"tls/site.key\"}]");
        }
        certificates = List.copyOf(certificates);
        protocols = protocols == null ? VERSIONS : checkProtocols(protocols);
        alpn = alpn == null ? List.of("http/1.1") : checkAlpn(alpn);
        handshakeTimeout = handshakeTimeout == null ? DEFAULT_HANDSHAKE_TIMEOUT : handshakeTimeout;
        if (handshakeTimeout.isZero() || handshakeTimeout.isNegative()) {
            throw new IllegalArgumentException("handshakeTimeout: must be more than 0, e.g. \"10s\"");
        }
        provider = provider == null ? "auto" : provider;
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("provider: expected one of " + PROVIDERS + ", got \"" + provider + "\"");
        }
    }

    static List<String> checkProtocols(List<String> protocols) {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("protocols: needs at least one of " + VERSIONS);
        }
        for (String p : protocols) {
            if (!VERSIONS.contains(p)) {
                throw new IllegalArgumentException("protocols: \"" + p + "\" is not accepted; use \"TLSv1.3\" and/or \"TLSv1.2\""
                        + " (older versions are insecure)");
            }
        }
        return List.copyOf(new LinkedHashSet<>(protocols));
    }

    private static List<String> checkAlpn(List<String> alpn) {
        for (String name : alpn) {
            // RFC 7301: 1 to 255 bytes; printable ASCII keeps typos visible.
            if (name.isEmpty() || name.length() > 255 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("alpn: \"" + name + "\" is not a protocol name such as \"h2\" or \"http/1.1\"");
            }
        }
        if (Set.copyOf(alpn).size() != alpn.size()) {
            throw new IllegalArgumentException("alpn: lists a protocol twice: " + alpn);
        }
        return List.copyOf(alpn);
    }
}
