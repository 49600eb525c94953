package io.junction.plugin.tcp;

import io.junction.api.protocol.Route;
import io.junction.api.upstream.Upstream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's routes compiled once, at config load: listen addresses resolved, so choosing a
 * route per connection never touches DNS. First match wins.
 */
final class TcpRoutes {

    private record Listen(InetAddress address, int port) {
        boolean matches(InetSocketAddress local) {
            return port == local.getPort() && (address == null || address.isAnyLocalAddress() || address.equals(local.getAddress()));
        }
    }

    private record Compiled(List<Listen> listen, TcpRouteMatch match, Upstream upstream) {
        boolean matches(InetSocketAddress local, String serverName) {
            boolean listenOk = listen.isEmpty() || (local != null && listen.stream().anyMatch(l -> l.matches(local)));
            return listenOk && (match == null || match.matchesServerName(serverName));
        }
    }

    private final List<Compiled> routes = new ArrayList<>();
    private final boolean needsServerName;

    TcpRoutes(List<Route> routes) {
        boolean sni = false;
        for (Route route : routes) {
            TcpRouteMatch match = route.match(TcpRouteMatch.class).orElse(null);
            List<Listen> listen = new ArrayList<>();
            if (match != null) {
                for (String address : match.listen()) {
                    listen.add(resolve(address));
                }
                sni |= !match.serverNames().isEmpty();
            }
            this.routes.add(new Compiled(listen, match, route.upstream()));
        }
        this.needsServerName = sni;
    }

    /** Whether some route matches on the TLS server name, so connections must be peeked first. */
    boolean needsServerName() {
        return needsServerName;
    }

    /** The upstream of the first route matching, or null when none does. */
    Upstream select(InetSocketAddress local, String serverName) {
        for (Compiled route : routes) {
            if (route.matches(local, serverName)) {
                return route.upstream();
            }
        }
        return null;
    }

    private static Listen resolve(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        if (host.isEmpty()) {
            return new Listen(null, port);
        }
        try {
            return new Listen(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("route listen address \"" + address + "\" does not resolve", e);
        }
    }
}
