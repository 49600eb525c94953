package io.junction.runtime.tls;

import io.junction.api.config.ConfigDoc;
import java.util.List;

/**
 * {@code "tls"} of an upstream: connect to its endpoints over TLS. The CA file is read and checked
 * by {@link UpstreamTlsLoader}, which knows the config file's directory.
 */
@ConfigDoc("Connect to this upstream's endpoints over TLS; without it the connections are plain.")
public record UpstreamTlsSection(
        @ConfigDoc("PEM file of the CA certificates to trust, relative to the config file's directory.")
        String caFile,
        @ConfigDoc("Name sent as SNI and checked against the certificate; without it, each endpoint's host as written"
                + " (an IP address is checked against the certificate's IP subject alternative names and sends no SNI).")
        String serverName,
        @ConfigDoc(value = "Check the certificate chain and the name. false trusts any certificate: for testing only.",
                defaultValue = "true")
        Boolean verify,
        @ConfigDoc(value = "TLS versions offered: \"TLSv1.3\" and/or \"TLSv1.2\".", defaultValue = "[\"TLSv1.3\", \"TLSv1.2\"]")
        List<String> protocols,
        @ConfigDoc(value = "TLS implementation: \"auto\" (OpenSSL when available, else the JDK's), \"openssl\" or \"jdk\".",
                defaultValue = "auto")
        String provider) {

    public UpstreamTlsSection {
        if (caFile != null && caFile.isBlank()) {
            throw new IllegalArgumentException("caFile: is empty; name a PEM file such as \"tls/backend-ca.pem\", or leave it out"
                    + " to trust the JDK's default CAs");
        }
        if (serverName != null && (serverName.isBlank() || !serverName.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException("serverName: \"" + serverName + "\" is not a host name such as \"api.internal\"");
        }
        verify = verify == null ? Boolean.TRUE : verify;
        protocols = protocols == null ? TlsSection.VERSIONS : TlsSection.checkProtocols(protocols);
        provider = provider == null ? "auto" : provider;
        if (!TlsSection.PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("provider: expected one of " + TlsSection.PROVIDERS + ", got \"" + provider + "\"");
        }
    }
}
