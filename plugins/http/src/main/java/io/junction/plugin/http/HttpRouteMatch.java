package io.junction.plugin.http;

import io.junction.api.config.ConfigDoc;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What an {@code http} route matches; every field given must match, and an empty match takes every request. */
@ConfigDoc("Request properties a route matches: all given must hold.")
public record HttpRouteMatch(
        @ConfigDoc("Host names (the Host header, port removed): exact (\"api.example.com\") or wildcard (\"*.example.com\", any "
                + "depth of subdomain, not the bare domain).") List<String> hosts,
        @ConfigDoc("Exact path (without the query).") String path,
        @ConfigDoc("Path prefix, at a segment boundary: \"/api\" takes /api and /api/x, not /apix.") String pathPrefix,
        @ConfigDoc("Regular expression (Java syntax) the whole path must match.") String pathRegex,
        @ConfigDoc("Methods, upper case (\"GET\", \"POST\").") List<String> methods,
        @ConfigDoc("Headers that must be present with exactly this value (names case-insensitive); \"*\" for any value.")
        Map<String, String> headers,
        @ConfigDoc("Query parameters that must be present with exactly this value; \"*\" for any value.") Map<String, String> query,
        @ConfigDoc("gRPC service, fully qualified (\"pkg.Service\"): matches gRPC requests (content-type application/grpc) "
                + "whose path is /pkg.Service/<method>; not with path, pathPrefix or pathRegex.") String grpcService,
        @ConfigDoc("gRPC method of grpcService (\"Method\"): the path must be /pkg.Service/Method.") String grpcMethod) {

    public HttpRouteMatch {
        hosts = hosts == null ? List.of() : hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        for (String host : hosts) {
            String bare = host.startsWith("*.") ? host.substring(2) : host;
            if (bare.isEmpty() || !bare.chars().allMatch(c -> c == '-' || c == '.' || Character.isLetterOrDigit(c))) {
                throw new IllegalArgumentException("hosts: \"" + host + "\" is not a host name or *.domain");
            }
        }
        if (path != null && !path.startsWith("/")) {
            throw new IllegalArgumentException("path: must start with /, got \"" + path + "\"");
        }
        if (pathPrefix != null && !pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("pathPrefix: must start with /, got \"" + pathPrefix + "\"");
        }
        if (pathRegex != null) {
            try {
                Pattern.compile(pathRegex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("pathRegex: not a valid regular expression: " + e.getDescription());
            }
        }
        methods = methods == null ? List.of() : List.copyOf(methods);
        for (String method : methods) {
            if (method.isEmpty() || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
                throw new IllegalArgumentException("methods: \"" + method + "\" is not an upper-case method name");
            }
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        query = query == null ? Map.of() : Map.copyOf(query);
        if (grpcService != null) {
            if (!grpcName(grpcService)) {
                throw new IllegalArgumentException("grpcService: \"" + grpcService + "\" is not a service name such as \"pkg.Service\"");
            }
            if (path != null || pathPrefix != null || pathRegex != null) {
                throw new IllegalArgumentException("grpcService: matches the path itself, so it cannot be combined with path, "
                        + "pathPrefix or pathRegex");
            }
        }
        if (grpcMethod != null) {
            if (grpcService == null) {
                throw new IllegalArgumentException("grpcMethod: needs grpcService (the method's service)");
            }
            if (!grpcName(grpcMethod) || grpcMethod.indexOf('.') >= 0) {
                throw new IllegalArgumentException("grpcMethod: \"" + grpcMethod + "\" is not a method name such as \"GetItem\"");
            }
        }
    }

    /** Letters, digits, '_' and '.' (protobuf identifiers, dotted), neither starting nor ending with a dot. */
    private static boolean grpcName(String name) {
        return !name.isEmpty() && !name.startsWith(".") && !name.endsWith(".")
                && name.chars().allMatch(c -> c == '_' || c == '.' || c < 128 && Character.isLetterOrDigit(c));
    }
}
