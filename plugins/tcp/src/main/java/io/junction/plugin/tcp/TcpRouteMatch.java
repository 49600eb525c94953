package io.junction.plugin.tcp;

import io.junction.api.config.ConfigDoc;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code tcp} route matches without decrypting anything: the address the connection came
 * to (one of the pipeline's listen addresses) and the TLS server name (SNI) the client asked for.
 * Every field given must match; a route without {@code match} matches every connection.
 */
@ConfigDoc("Matches a connection by the listen address it came to and/or the TLS server name (SNI) of its ClientHello.")
public record TcpRouteMatch(
        @ConfigDoc("Listen addresses (host:port, as written in the pipeline's listen) or ports (\":8443\") this route takes.")
        List<String> listen,
        @ConfigDoc("TLS server names: exact (\"api.example.com\") or wildcard (\"*.example.com\", any subdomain depth). "
                + "Connections are then peeked for their ClientHello and forwarded untouched.") List<String> serverNames) {

    public TcpRouteMatch {
        listen = listen == null ? List.of() : List.copyOf(listen);
        serverNames = serverNames == null ? List.of() : serverNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        if (listen.isEmpty() && serverNames.isEmpty()) {
            throw new IllegalArgumentException("listen: a match needs \"listen\" or \"serverNames\"; omit \"match\" for a default route");
        }
        for (String address : listen) {
            if (!address.matches("(.*):[0-9]{1,5}")) {
                throw new IllegalArgumentException("listen: expected host:port or :port, got \"" + address + "\"");
            }
        }
        for (String name : serverNames) {
            String bare = name.startsWith("*.") ? name.substring(2) : name;
            if (bare.isEmpty() || !bare.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw new IllegalArgumentException("serverNames: \"" + name + "\" is not a host name or *.domain wildcard");
            }
        }
    }

    /** Whether {@code serverName} (lower case, may be null when the client sent none) is one of ours. */
    boolean matchesServerName(String serverName) {
        if (serverNames.isEmpty()) {
            return true;
        }
        if (serverName == null) {
            return false;
        }
        for (String name : serverNames) {
            if (name.startsWith("*.") ? serverName.endsWith(name.substring(1)) : serverName.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
