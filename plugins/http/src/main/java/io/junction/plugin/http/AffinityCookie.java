package io.junction.plugin.http;

import io.junction.api.config.ConfigDoc;
import io.junction.api.upstream.Endpoint;
import java.time.Duration;
import java.util.List;

/**
 * Session affinity by a cookie Junction sets (HAProxy's {@code cookie ... insert}): the cookie
 * names the endpoint that served the client, by a stable token derived from the endpoint's id, so
 * the next request goes there while it is available, and the cookie survives Junction restarts.
 */
@ConfigDoc("Session affinity: Junction sets a cookie naming the endpoint that answered and sends later requests there "
        + "while it is available.")
public record AffinityCookie(
        @ConfigDoc(value = "Cookie name.", defaultValue = "\"junction-affinity\"") String name,
        @ConfigDoc(value = "Cookie Path.", defaultValue = "\"/\"") String path,
        @ConfigDoc("Cookie Max-Age; a session cookie if absent.") Duration maxAge,
        @ConfigDoc(value = "Add Secure (only sent over HTTPS).", defaultValue = "false") Boolean secure) {

    public AffinityCookie {
        name = name == null ? "junction-affinity" : name;
        path = path == null ? "/" : path;
        secure = secure != null && secure;
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0)) {
            throw new IllegalArgumentException("name: \"" + name + "\" is not a valid cookie name");
        }
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c < 0x21 || c == ';' || c > 0x7e)) {
            throw new IllegalArgumentException("path: must start with / and have no spaces, control characters or ';'");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge: must be at least 1s");
        }
    }

    /** The endpoint whose token {@code value} is, among {@code endpoints}; null when none. */
    static Endpoint find(List<Endpoint> endpoints, String value) {
        if (value == null) {
            return null;
        }
        for (Endpoint e : endpoints) {
            if (token(e).equals(value)) {
                return e;
            }
        }
        return null;
    }

    /** A stable token for the endpoint: 16 hex digits of a 64-bit FNV-1a hash of its id (not its address). */
    static String token(Endpoint endpoint) {
        long hash = 0xcbf29ce484222325L;
        String id = endpoint.id();
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** The Set-Cookie value sending the client to {@code endpoint}. */
    String setCookie(Endpoint endpoint) {
        StringBuilder value = new StringBuilder(name).append('=').append(token(endpoint)).append("; Path=").append(path)
                .append("; HttpOnly");
        if (maxAge != null) {
            value.append("; Max-Age=").append(maxAge.toSeconds());
        }
        if (secure) {
            value.append("; Secure");
        }
        return value.toString();
    }
}
