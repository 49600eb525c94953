package io.junction.plugin.respond;

import io.junction.api.config.ConfigDoc;
import io.junction.api.config.DataSize;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the {@code respond} handler answers, and its limits. */
@ConfigDoc("A fixed HTTP response.")
public record RespondConfig(
        @ConfigDoc(value = "HTTP status code, 200 to 599.", defaultValue = "200") Integer status,
        @ConfigDoc("Response headers; Content-Length and Connection are set by Junction.") Map<String, String> headers,
        @ConfigDoc(value = "Response body (UTF-8).", defaultValue = "\"\"") String body,
        @ConfigDoc(value = "Largest request header section accepted; larger gets 431.", defaultValue = "16KB") DataSize maxHeaderSize,
        @ConfigDoc(value = "Close a keep-alive connection idle for this long.", defaultValue = "60s") Duration idleTimeout) {

    public RespondConfig {
        status = status == null ? 200 : status;
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status: expected 200 to 599, got " + status);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> {
                if (name.isEmpty() || !name.chars().allMatch(RespondConfig::isTokenChar)) {
                    throw new IllegalArgumentException("headers: \"" + name + "\" is not a valid header name");
                }
                if (value == null || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    throw new IllegalArgumentException("headers: the value of \"" + name + "\" must be text without control characters");
                }
                copy.put(name, value);
            });
        }
        headers = Map.copyOf(copy);
        body = body == null ? "" : body;
        maxHeaderSize = maxHeaderSize == null ? DataSize.ofKilobytes(16) : maxHeaderSize;
        if (maxHeaderSize.bytes() < 1024 || maxHeaderSize.bytes() > 1024 * 1024) {
            throw new IllegalArgumentException("maxHeaderSize: expected 1KB to 1MB, got " + maxHeaderSize);
        }
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
        if (idleTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.compareTo(java.time.Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("idleTimeout: must be between 1ms and 365d");
        }
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
