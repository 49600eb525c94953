package io.junction.plugin.healthchecks;

import io.junction.api.config.ConfigDoc;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Settings of the {@code http} health check: the request to send and what a healthy response looks like. */
@ConfigDoc("Sends one HTTP/1.1 request on a new connection and checks the status (and optionally the body).")
public record HttpHealthCheckConfig(
        @ConfigDoc(value = "Request method: GET, HEAD or OPTIONS.", defaultValue = "\"GET\"") String method,
        @ConfigDoc(value = "Request target: a path starting with /, optionally with a query.", defaultValue = "\"/\"") String path,
        @ConfigDoc(value = "Host header; absent, the endpoint's host:port as configured.") String host,
        @ConfigDoc(value = "Statuses that pass: each a status (\"200\") or an inclusive range (\"200-399\").",
                defaultValue = "[\"200-399\"]") List<String> expectedStatuses,
        @ConfigDoc(value = "Text the body must contain (UTF-8); only the first 64 KiB of the body are read.") String bodyContains,
        @ConfigDoc(value = "Extra request headers, name to value; Host and the framing headers are the check's own.",
                defaultValue = "{}") Map<String, String> headers) {

    /** How much of a response body the check reads, at most. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private static final Set<String> OWN_HEADERS = Set.of("connection", "content-length", "transfer-encoding", "te", "upgrade",
            "keep-alive", "proxy-connection", "trailer", "expect");

    public HttpHealthCheckConfig {
        method = method == null ? "GET" : method;
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method: expected GET, HEAD or OPTIONS, got \"" + method + "\"");
        }
        path = path == null ? "/" : path;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: must start with /, got \"" + path + "\"");
        }
        if (!isVisibleAscii(path)) {
            throw new IllegalArgumentException("path: must be printable ASCII without spaces (percent-encode the rest), got \"" + path + "\"");
        }
        if (host != null && (host.isEmpty() || !isVisibleAscii(host))) {
            throw new IllegalArgumentException("host: must be a host or host:port in printable ASCII without spaces, got \"" + host + "\"");
        }
        expectedStatuses = expectedStatuses == null ? List.of("200-399") : expectedStatuses;
        if (expectedStatuses.isEmpty()) {
            throw new IllegalArgumentException("expectedStatuses: must name at least one status or range");
        }
        for (String status : expectedStatuses) {
            StatusRanges.parse(status);
        }
        expectedStatuses = List.copyOf(expectedStatuses);
        if (bodyContains != null) {
            if (bodyContains.isEmpty()) {
                throw new IllegalArgumentException("bodyContains: must not be empty (leave it out to check the status only)");
            }
            if (bodyContains.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("bodyContains: must be at most 64 KiB, the part of the body the check reads");
            }
        }
        headers = headers == null ? Map.of() : headers;
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (name == null || !isToken(name)) {
                throw new IllegalArgumentException("headers: \"" + name + "\" is not a valid header name");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host")) {
                throw new IllegalArgumentException("headers: set the Host header with \"host\"");
            }
            if (OWN_HEADERS.contains(lower)) {
                throw new IllegalArgumentException("headers: \"" + name + "\" is set by the check");
            }
            if (header.getValue() == null || !isFieldValue(header.getValue())) {
                throw new IllegalArgumentException("headers: the value of \"" + name + "\" must be text without control characters");
            }
            checked.put(name, header.getValue());
        }
        headers = java.util.Collections.unmodifiableMap(checked);
    }

    private static boolean isVisibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }
}
