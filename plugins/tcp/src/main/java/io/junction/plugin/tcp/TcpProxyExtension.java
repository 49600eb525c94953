package io.junction.plugin.tcp;

import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;

/** {@code "tcp"}: layer 4 forwarding, one endpoint chosen per connection. */
public final class TcpProxyExtension implements ProtocolHandlerExtension<TcpProxyConfig> {

    @Override
    public String type() {
        return "tcp";
    }

    @Override
    public Class<TcpProxyConfig> configType() {
        return TcpProxyConfig.class;
    }

    @Override
    public Class<? extends ProtocolHandler> implementation() {
        return TcpProxyHandler.class;
    }

    @Override
    public Class<?> routeMatchType() {
        return TcpRouteMatch.class;
    }

    @Override
    public String description() {
        return "Layer 4 TCP proxy: each connection is forwarded, byte for byte, to one endpoint of the upstream.";
    }
}
