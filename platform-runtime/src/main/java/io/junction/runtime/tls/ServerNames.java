package io.junction.runtime.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Server names as TLS clients send them (SNI): exact DNS names, or {@code *.} and one label. */
final class ServerNames {

    private static final Pattern NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** The subject alternative name type of a DNS name (RFC 5280, {@code dNSName}). */
    private static final int DNS_NAME = 2;

    private ServerNames() {
    }

    /** Why {@code name} can't be a server name, or null if it can. */
    static String problem(String name) {
        if (name == null || name.isBlank()) {
            return "a server name must not be empty";
        }
        String n = normalize(name);
        if (n.length() > 253 || !NAME.matcher(n).matches()) {
            return "\"" + name + "\" is not a DNS name or a wildcard such as \"*.example.com\"";
        }
        if (n.startsWith("*.") && n.indexOf('.', 2) < 0) {
            return "\"" + name + "\" is too wide; a wildcard needs at least two labels after \"*.\", e.g. \"*.example.com\"";
        }
        return null;
    }

    static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The certificate's DNS subject alternative names that are valid server names. */
    static List<String> of(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        Collection<List<?>> alternatives;
        try {
            alternatives = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return names;
        }
        if (alternatives == null) {
            return names;
        }
        for (List<?> entry : alternatives) {
            if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == DNS_NAME
                    && entry.get(1) instanceof String name && problem(name) == null) {
                String n = normalize(name);
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return names;
    }
}
