package io.junction.plugin.http;

import io.junction.api.config.ConfigDoc;
import io.junction.api.config.DataSize;
import java.time.Duration;

/** Settings of the {@code http} protocol handler: limits, timeouts, the backend pool and forwarding headers. */
@ConfigDoc("HTTP/1.1 reverse proxy settings.")
public record HttpProxyConfig(
        @ConfigDoc(value = "Longest request line (method, target, version); longer gets 414.", defaultValue = "8KB") DataSize maxRequestLine,
        @ConfigDoc(value = "Largest request or response header section; a larger request gets 431, a larger response 502.",
                defaultValue = "16KB") DataSize maxHeaderSize,
        @ConfigDoc(value = "Most header fields in a request or response; more gets 431 (502 for a response).", defaultValue = "100")
        Integer maxHeaderCount,
        @ConfigDoc(value = "Largest request body; a larger one gets 413 (at once when its Content-Length says so, else when it "
                + "grows past it). 0 for no limit.", defaultValue = "0") DataSize maxRequestBodySize,
        @ConfigDoc(value = "Time a client has to send a whole request header section once it started one (slow-loris).",
                defaultValue = "10s") Duration requestHeaderTimeout,
        @ConfigDoc(value = "Close a client connection that waits this long between requests.", defaultValue = "60s") Duration idleTimeout,
        @ConfigDoc(value = "Close an upgraded (WebSocket) connection with no bytes either way for this long.", defaultValue = "1h")
        Duration tunnelIdleTimeout,
        @ConfigDoc(value = "How long to wait for a connection to an endpoint; then the next endpoint is tried.", defaultValue = "5s")
        Duration connectTimeout,
        @ConfigDoc(value = "How long to wait for the response header once the request is sent; then 504.", defaultValue = "60s")
        Duration responseTimeout,
        @ConfigDoc(value = "Endpoints to try, each a different one, when connecting fails, before answering 502.", defaultValue = "3")
        Integer connectAttempts,
        @ConfigDoc(value = "Idle backend connections kept per endpoint and event loop for reuse.", defaultValue = "256") Integer maxIdlePerEndpoint,
        @ConfigDoc(value = "Close an idle pooled backend connection after this long.", defaultValue = "60s") Duration poolIdleTimeout,
        @ConfigDoc(value = "Requests one HTTP/1.1 backend connection serves before it is closed; 0 for no limit (HTTP/2: "
                + "backendHttp2.maxStreamsPerConnection).", defaultValue = "1000")
        Integer maxRequestsPerConnection,
        @ConfigDoc(value = "X-Forwarded-For: \"append\" the client address to the client's list, \"overwrite\" it with the client "
                + "address, or \"off\".", defaultValue = "\"append\"") ForwardedMode xForwardedFor,
        @ConfigDoc(value = "Also send an RFC 7239 Forwarded header (for, proto, host), appended to the client's.", defaultValue = "false")
        Boolean forwarded,
        @ConfigDoc(value = "Add a Via header (\"1.1 junction\") to requests and responses.", defaultValue = "true") Boolean via,
        @ConfigDoc(value = "Retries for every route (a route's action may replace it).",
                defaultValue = "{\"attempts\": 2, \"retryOn\": [\"reset\"]}") RetryPolicy retry,
        @ConfigDoc("HTTP/2 from clients (h2c by prior knowledge, h2 by ALPN): limits and windows.") Http2Config http2,
        @ConfigDoc("HTTP/2 to upstreams with \"httpProtocol\": \"h2\": streams per connection and flow-control windows.")
        BackendHttp2Config backendHttp2,
        @ConfigDoc(value = "Route and forward the path in its normal form (RFC 3986): percent-encoded unreserved characters decoded, "
                + "'.' and '..' segments removed; an invalid percent-encoding gets 400.", defaultValue = "true") Boolean normalizePath,
        @ConfigDoc(value = "With normalizePath: make each run of slashes in the path one slash.", defaultValue = "false") Boolean mergeSlashes,
        @ConfigDoc(value = "With normalizePath: what becomes of %2F and %5C in the path: \"keep\" them encoded, \"reject\" the request "
                + "(400), or \"decode\" them to / and \\.", defaultValue = "\"keep\"") EscapedSlashes escapedSlashes) {

    /** What happens to the client's X-Forwarded-* headers. */
    public enum ForwardedMode { append, overwrite, off }

    /** What becomes of {@code %2F} and {@code %5C} in a normalised path, which a backend may or may not read as a separator. */
    public enum EscapedSlashes { keep, reject, decode }

    public HttpProxyConfig {
        maxRequestLine = orDefault(maxRequestLine, DataSize.ofKilobytes(8), "maxRequestLine", 256, 1024 * 1024);
        maxHeaderSize = orDefault(maxHeaderSize, DataSize.ofKilobytes(16), "maxHeaderSize", 1024, 1024 * 1024);
        maxHeaderCount = maxHeaderCount == null ? 100 : maxHeaderCount;
        if (maxHeaderCount < 1 || maxHeaderCount > 10_000) {
            throw new IllegalArgumentException("maxHeaderCount: expected 1 to 10000, got " + maxHeaderCount);
        }
        maxRequestBodySize = maxRequestBodySize == null ? DataSize.ofBytes(0) : maxRequestBodySize;
        requestHeaderTimeout = positive(requestHeaderTimeout, Duration.ofSeconds(10), "requestHeaderTimeout");
        idleTimeout = positive(idleTimeout, Duration.ofSeconds(60), "idleTimeout");
        tunnelIdleTimeout = positive(tunnelIdleTimeout, Duration.ofHours(1), "tunnelIdleTimeout");
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "connectTimeout");
        if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout: must be between 1ms and 24 days");
        }
        responseTimeout = positive(responseTimeout, Duration.ofSeconds(60), "responseTimeout");
        connectAttempts = connectAttempts == null ? 3 : connectAttempts;
        if (connectAttempts < 1 || connectAttempts > 10) {
            throw new IllegalArgumentException("connectAttempts: expected 1 to 10, got " + connectAttempts);
        }
        maxIdlePerEndpoint = maxIdlePerEndpoint == null ? 256 : maxIdlePerEndpoint;
        if (maxIdlePerEndpoint < 0 || maxIdlePerEndpoint > 100_000) {
            throw new IllegalArgumentException("maxIdlePerEndpoint: expected 0 to 100000, got " + maxIdlePerEndpoint);
        }
        poolIdleTimeout = positive(poolIdleTimeout, Duration.ofSeconds(60), "poolIdleTimeout");
        maxRequestsPerConnection = maxRequestsPerConnection == null ? 1000 : maxRequestsPerConnection;
        if (maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException("maxRequestsPerConnection: expected 0 or more, got " + maxRequestsPerConnection);
        }
        xForwardedFor = xForwardedFor == null ? ForwardedMode.append : xForwardedFor;
        forwarded = forwarded != null && forwarded;
        via = via == null || via;
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
        http2 = http2 == null ? Http2Config.DEFAULT : http2;
        backendHttp2 = backendHttp2 == null ? BackendHttp2Config.DEFAULT : backendHttp2;
        normalizePath = normalizePath == null || normalizePath;
        mergeSlashes = mergeSlashes != null && mergeSlashes;
        escapedSlashes = escapedSlashes == null ? EscapedSlashes.keep : escapedSlashes;
        if (!normalizePath && (mergeSlashes || escapedSlashes != EscapedSlashes.keep)) {
            throw new IllegalArgumentException("mergeSlashes and escapedSlashes need normalizePath: true");
        }
    }

    /** The path normaliser these settings ask for, or null with normalizePath off. */
    PathNormalizer pathNormalizer() {
        return normalizePath ? new PathNormalizer(mergeSlashes, escapedSlashes) : null;
    }

    private static DataSize orDefault(DataSize value, DataSize fallback, String name, long min, long max) {
        DataSize size = value == null ? fallback : value;
        if (size.bytes() < min || size.bytes() > max) {
            throw new IllegalArgumentException(name + ": expected " + DataSize.ofBytes(min) + " to " + DataSize.ofBytes(max) + ", got " + size);
        }
        return size;
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        Duration duration = value == null ? fallback : value;
        if (duration.isZero() || duration.isNegative() || duration.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException(name + ": must be between 1ms and 365d");
        }
        return duration;
    }
}
