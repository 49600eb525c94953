package io.junction.plugin.discoverydns;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.List;

/** Parses the {@code nameservers} of the config: IP literals only, so that nothing is looked up to find a DNS server. */
final class Nameservers {

    static final int DNS_PORT = 53;

    private Nameservers() {
    }

    static List<InetSocketAddress> parseAll(List<String> nameservers) {
        return nameservers.stream().map(Nameservers::parse).toList();
    }

    /** {@code "ip"}, {@code "ip:port"}, {@code "ipv6"} or {@code "[ipv6]:port"}; port 53 when absent. */
    static InetSocketAddress parse(String server) {
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("expected \"ip\" or \"ip:port\", got an empty string");
        }
        String host = server;
        String port = null;
        if (server.startsWith("[")) {
            int close = server.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + server + "\" has no closing ']'");
            }
            host = server.substring(1, close);
            String rest = server.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected \"[ipv6]:port\", got \"" + server + "\"");
                }
                port = rest.substring(1);
            }
        } else if (server.indexOf(':') >= 0 && server.indexOf(':') == server.lastIndexOf(':')) {
            host = server.substring(0, server.indexOf(':'));
            port = server.substring(server.indexOf(':') + 1);
        }
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            throw new IllegalArgumentException("\"" + server + "\" is not an IP address (a DNS server is given by address, not by name)");
        }
        return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port == null ? DNS_PORT : port(server, port));
    }

    private static int port(String server, String port) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + server + "\" has no valid port; expected 1 to 65535");
        }
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("\"" + server + "\": port expected 1 to 65535, got " + value);
        }
        return value;
    }
}
