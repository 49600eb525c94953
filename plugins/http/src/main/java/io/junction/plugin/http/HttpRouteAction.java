package io.junction.plugin.http;

import io.junction.api.config.ConfigDoc;
import java.util.List;
import java.util.Map;

/**
 * What an {@code http} route does beyond choosing an upstream: rewrite the request, edit headers
 * both ways, or answer by itself (a redirect or a fixed response, then the route has no upstream).
 */
@ConfigDoc("Rewrites, header edits, or a direct answer (redirect, fixed response) for the requests a route takes.")
public record HttpRouteAction(
        @ConfigDoc("Replace the path prefix the route matched (its match needs \"pathPrefix\") with this one: "
                + "\"/api\" -> \"/\" sends /api/items as /items.") String rewritePathPrefix,
        @ConfigDoc("Send this Host to the backend instead of the client's.") String rewriteHost,
        @ConfigDoc("Edits of the request headers sent to the backend.") HeaderRules requestHeaders,
        @ConfigDoc("Edits of the response headers sent to the client.") HeaderRules responseHeaders,
        @ConfigDoc("Answer with a redirect instead of proxying.") Redirect redirect,
        @ConfigDoc("Answer with this fixed response instead of proxying.") DirectResponse respond,
        @ConfigDoc("Read the whole request body (up to this size; larger gets 413) before choosing an endpoint, so that a slow "
                + "client never holds a backend connection and the request can be retried.") io.junction.api.config.DataSize bufferRequestBody,
        @ConfigDoc("Retries for this route, replacing the pipeline's \"retry\".") RetryPolicy retry,
        @ConfigDoc("Session affinity by a cookie Junction sets.") AffinityCookie affinityCookie) {

    /** Header edits, applied in the order remove, set, add. */
    @ConfigDoc("Header edits: remove these names, then set (replace) and add these fields.")
    public record HeaderRules(
            @ConfigDoc("Names to remove.") List<String> remove,
            @ConfigDoc("Fields to set, replacing any with that name.") Map<String, String> set,
            @ConfigDoc("Fields to add, keeping any already there.") Map<String, String> add) {

        public HeaderRules {
            remove = remove == null ? List.of() : List.copyOf(remove);
            set = set == null ? Map.of() : Map.copyOf(set);
            add = add == null ? Map.of() : Map.copyOf(add);
            remove.forEach(name -> checkName(name, "remove"));
            set.forEach((name, value) -> checkField(name, value, "set"));
            add.forEach((name, value) -> checkField(name, value, "add"));
        }
    }

    /** A redirect answer. */
    @ConfigDoc("A redirect: the status and where to.")
    public record Redirect(
            @ConfigDoc(value = "301, 302, 303, 307 or 308.", defaultValue = "302") Integer status,
            @ConfigDoc(value = "The Location, e.g. \"https://www.example.com\".", required = true) String location,
            @ConfigDoc(value = "Append the request's path and query to the location.", defaultValue = "true") Boolean keepPath) {

        public Redirect {
            status = status == null ? 302 : status;
            if (!List.of(301, 302, 303, 307, 308).contains(status)) {
                throw new IllegalArgumentException("status: expected 301, 302, 303, 307 or 308, got " + status);
            }
            if (location == null || location.isEmpty()) {
                throw new IllegalArgumentException("location: required, e.g. \"https://www.example.com\"");
            }
            checkField("Location", location, "location");
            keepPath = keepPath == null || keepPath;
        }
    }

    /** A fixed answer. */
    @ConfigDoc("A fixed response.")
    public record DirectResponse(
            @ConfigDoc(value = "Status, 200 to 599.", defaultValue = "200") Integer status,
            @ConfigDoc("Response headers; Content-Length is set by Junction.") Map<String, String> headers,
            @ConfigDoc(value = "Body (UTF-8).", defaultValue = "\"\"") String body) {

        public DirectResponse {
            status = status == null ? 200 : status;
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status: expected 200 to 599, got " + status);
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            headers.forEach((name, value) -> checkField(name, value, "headers"));
            body = body == null ? "" : body;
        }
    }

    public HttpRouteAction {
        if (redirect != null && respond != null) {
            throw new IllegalArgumentException("redirect and respond: choose one");
        }
        if (rewritePathPrefix != null && !rewritePathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("rewritePathPrefix: must start with /, got \"" + rewritePathPrefix + "\"");
        }
        if (rewriteHost != null) {
            checkField("Host", rewriteHost, "rewriteHost");
        }
        if (bufferRequestBody != null && (bufferRequestBody.bytes() < 1 || bufferRequestBody.bytes() > 1L << 30)) {
            throw new IllegalArgumentException("bufferRequestBody: expected 1B to 1GB, got " + bufferRequestBody);
        }
        if ((redirect != null || respond != null) && (bufferRequestBody != null || retry != null || affinityCookie != null)) {
            throw new IllegalArgumentException((bufferRequestBody != null ? "bufferRequestBody" : retry != null ? "retry" : "affinityCookie")
                    + ": a route that answers by itself sends nothing to an upstream");
        }
    }

    /** Whether the route answers by itself and needs no upstream. */
    boolean answersDirectly() {
        return redirect != null || respond != null;
    }

    private static void checkName(String name, String field) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0)) {
            throw new IllegalArgumentException(field + ": \"" + name + "\" is not a valid header name");
        }
    }

    private static void checkField(String name, String value, String field) {
        checkName(name, field);
        if (value == null || value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f || c > 0xff)) {
            throw new IllegalArgumentException(field + ": the value of \"" + name + "\" must be text without control characters");
        }
    }
}
