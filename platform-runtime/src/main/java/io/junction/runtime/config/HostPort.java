package io.junction.runtime.config;

import java.net.InetSocketAddress;

/** A {@code host:port} (or {@code [v6]:port}) address as written in config. */
public record HostPort(String host, int port) {

    public static HostPort parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("expected host:port such as \"127.0.0.1:8080\", got \"" + text + "\"");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a port number in \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " in \"" + text + "\" is outside 0-65535");
        }
        return new HostPort(host, port);
    }

    /** Resolves the host now; config addresses are resolved once, at load. */
    public InetSocketAddress resolve() {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("host \"" + host + "\" does not resolve");
        }
        return address;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
