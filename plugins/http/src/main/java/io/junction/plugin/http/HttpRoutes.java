package io.junction.plugin.http;

import io.junction.api.protocol.Route;
import io.junction.api.upstream.Upstream;
import io.junction.plugin.http.codec.HttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A pipeline's routes compiled once; {@link #select} picks the first that matches a request. */
final class HttpRoutes {

    /** What a route sees of a request; {@code grpc}: it is a gRPC call (its content-type, looked up once by the exchange). */
    record RequestView(String method, String host, String path, String query, HttpHeaders headers, boolean grpc) {
    }

    /** A compiled route: what it matches, where it sends (null when its action answers), what it does. */
    record Compiled(int index, String name, HttpRouteMatch match, Pattern pathRegex, Upstream upstream, HttpRouteAction action) {

        boolean matches(RequestView request) {
            if (match == null) {
                return true;
            }
            if (!match.methods().isEmpty() && !match.methods().contains(request.method())) {
                return false;
            }
            if (!match.hosts().isEmpty() && !hostMatches(request.host())) {
                return false;
            }
            if (match.path() != null && !match.path().equals(request.path())) {
                return false;
            }
            if (match.pathPrefix() != null && !prefixMatches(match.pathPrefix(), request.path())) {
                return false;
            }
            if (pathRegex != null && !pathRegex.matcher(request.path()).matches()) {
                return false;
            }
            if (match.grpcService() != null && !grpcMatches(match.grpcService(), match.grpcMethod(), request)) {
                return false;
            }
            for (Map.Entry<String, String> header : match.headers().entrySet()) {
                String value = request.headers().get(header.getKey());
                if (value == null || !("*".equals(header.getValue()) || header.getValue().equals(value))) {
                    return false;
                }
            }
            for (Map.Entry<String, String> parameter : match.query().entrySet()) {
                String value = queryParameter(request.query(), parameter.getKey());
                if (value == null || !("*".equals(parameter.getValue()) || parameter.getValue().equals(value))) {
                    return false;
                }
            }
            return true;
        }

        /** A gRPC request to /service/method, or to /service/anything when {@code method} is null. */
        private static boolean grpcMatches(String service, String method, RequestView request) {
            String path = request.path();
            int slash = service.length() + 1;
            if (path.length() <= slash + 1 || path.charAt(0) != '/' || !path.startsWith(service, 1) || path.charAt(slash) != '/') {
                return false;
            }
            boolean named = method == null ? path.indexOf('/', slash + 1) < 0
                    : path.length() == slash + 1 + method.length() && path.endsWith(method);
            return named && request.grpc();
        }

        private boolean hostMatches(String host) {
            if (host == null) {
                return false;
            }
            for (String name : match.hosts()) {
                if (name.startsWith("*.") ? host.endsWith(name.substring(1)) : name.equals(host)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Compiled> routes = new ArrayList<>();

    HttpRoutes(List<Route> routes) {
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            HttpRouteMatch match = route.match(HttpRouteMatch.class).orElse(null);
            HttpRouteAction action = route.action(HttpRouteAction.class).orElse(null);
            if (action != null && action.rewritePathPrefix() != null && (match == null || match.pathPrefix() == null)) {
                throw new IllegalArgumentException("routes[" + i + "].action.rewritePathPrefix: the route's match needs a "
                        + "\"pathPrefix\" to replace");
            }
            if (route.upstream() == null && (action == null || !action.answersDirectly())) {
                throw new IllegalArgumentException("routes[" + i + "]: needs an \"upstream\", or an action with \"redirect\" or \"respond\"");
            }
            if (route.upstream() != null && action != null && action.answersDirectly()) {
                throw new IllegalArgumentException("routes[" + i + "]: answers by itself (redirect or respond), so it takes no \"upstream\"");
            }
            Pattern regex = match == null || match.pathRegex() == null ? null : Pattern.compile(match.pathRegex());
            this.routes.add(new Compiled(i, route.name(), match, regex, route.upstream(), action));
        }
    }

    /** The compiled routes, in order. */
    List<Compiled> all() {
        return routes;
    }

    /** The first route matching, or null when none does. */
    Compiled select(RequestView request) {
        for (Compiled route : routes) {
            if (route.matches(request)) {
                return route;
            }
        }
        return null;
    }

    static boolean prefixMatches(String prefix, String path) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        return path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/';
    }

    /** The first value of a query parameter, percent-decoded; null when absent; "" for a bare name. */
    static String queryParameter(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** The host of an authority (Host header or absolute-form), without port, lower case; null for null. */
    static String hostOf(String authority) {
        if (authority == null) {
            return null;
        }
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']') < colon) {
            authority = authority.substring(0, colon);
        }
        return authority.toLowerCase(Locale.ROOT);
    }
}
