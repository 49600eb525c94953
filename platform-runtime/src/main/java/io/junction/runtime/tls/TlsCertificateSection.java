package io.junction.runtime.tls;

import io.junction.api.config.ConfigDoc;
import java.util.List;

/** One element of {@code "tls.certificates"}: PEM files, and the server names they answer. */
@ConfigDoc("A certificate chain and its private key, and the server names (SNI) it answers.")
public record TlsCertificateSection(
        @ConfigDoc(value = "PEM file with the certificate chain, leaf first; relative to the config file's directory.", required = true)
        String cert,
        @ConfigDoc(value = "PEM file with the unencrypted PKCS#8 private key (BEGIN PRIVATE KEY); relative to the config file's directory.",
                required = true)
        String key,
        @ConfigDoc("Server names answered with this certificate: exact (\"example.com\") or one-label wildcards (\"*.example.com\")."
                + " When absent, the certificate's DNS subject alternative names.")
        List<String> serverNames) {

    public TlsCertificateSection {
        if (cert == null || cert.isBlank()) {
            throw new IllegalArgumentException("cert: is required, e.g. \"tls/site.pem\"");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key: is required, e.g. \"tls/site.key\"");
        }
        if (serverNames != null) {
            if (serverNames.isEmpty()) {
                throw new IllegalArgumentException("serverNames: leave it out to use the certificate's own names, or list at least one");
            }
            serverNames = serverNames.stream().map(name -> {
                String problem = ServerNames.problem(name);
                if (problem != null) {
                    throw new IllegalArgumentException("serverNames: " + problem);
                }
                return ServerNames.normalize(name);
            }).distinct().toList();
        }
    }
}
