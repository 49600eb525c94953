package io.junction.plugin.http;

import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;

/** {@code "http"}: an HTTP/1.1 reverse proxy that routes and balances each request. */
public final class HttpProxyExtension implements ProtocolHandlerExtension<HttpProxyConfig> {

    @Override
    public String type() {
        return "http";
    }

    @Override
    public Class<HttpProxyConfig> configType() {
        return HttpProxyConfig.class;
    }

    @Override
    public Class<? extends ProtocolHandler> implementation() {
        return HttpProxyHandler.class;
    }

    @Override
    public Class<?> routeMatchType() {
        return HttpRouteMatch.class;
    }

    @Override
    public Class<?> routeActionType() {
        return HttpRouteAction.class;
    }

    @Override
    public String description() {
        return "HTTP/1.1 reverse proxy: strict framing, routing by host, path, method, headers and query, "
                + "each request balanced over pooled keep-alive backend connections.";
    }
}
