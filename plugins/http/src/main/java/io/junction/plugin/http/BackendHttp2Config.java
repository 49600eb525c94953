package io.junction.plugin.http;

import io.junction.api.config.ConfigDoc;
import io.junction.api.config.DataSize;

/**
 * How Junction speaks HTTP/2 to the endpoints of an upstream whose {@code httpProtocol} is {@code "h2"}:
 * how many streams it puts on one connection at once and over its life, and the flow-control windows it grants
 * the backend.
 */
@ConfigDoc("HTTP/2 towards backends (upstreams with \"httpProtocol\": \"h2\").")
public record BackendHttp2Config(
        @ConfigDoc(value = "Most requests in flight on one backend connection; fewer when the backend's SETTINGS say so. A "
                + "request that finds every connection full opens another.", defaultValue = "100") Integer maxConcurrentStreams,
        @ConfigDoc(value = "Response bytes a backend may send on one stream before Junction has passed them on (the stream's "
                + "flow-control window).", defaultValue = "1MB") DataSize initialStreamWindow,
        @ConfigDoc(value = "Response bytes a backend may send on one connection, all streams together, before Junction has "
                + "passed them on.", defaultValue = "4MB") DataSize connectionWindow,
        @ConfigDoc(value = "Streams one backend connection serves before it is closed (after its last stream), 0 for no limit. "
                + "Unlike HTTP/1.1's maxRequestsPerConnection, no limit by default: a new HTTP/2 connection costs a "
                + "SETTINGS round trip and cold header tables, which the calls waiting on it feel.", defaultValue = "0")
        Integer maxStreamsPerConnection) {

    /** The largest flow-control window HTTP/2 allows (RFC 9113 6.9.1). */
    static final long MAX_WINDOW = Integer.MAX_VALUE;
    /** The window every HTTP/2 connection starts with (RFC 9113 6.9.2). */
    static final int DEFAULT_WINDOW = 65_535;

    static final BackendHttp2Config DEFAULT = new BackendHttp2Config(null, null, null, null);

    public BackendHttp2Config {
        maxConcurrentStreams = maxConcurrentStreams == null ? 100 : maxConcurrentStreams;
        if (maxConcurrentStreams < 1 || maxConcurrentStreams > 10_000) {
            throw new IllegalArgumentException("maxConcurrentStreams: expected 1 to 10000, got " + maxConcurrentStreams);
        }
        initialStreamWindow = window(initialStreamWindow, DataSize.ofKilobytes(1024), 1024, "initialStreamWindow");
        connectionWindow = window(connectionWindow, DataSize.ofKilobytes(4096), DEFAULT_WINDOW, "connectionWindow");
        maxStreamsPerConnection = maxStreamsPerConnection == null ? 0 : maxStreamsPerConnection;
        if (maxStreamsPerConnection < 0) {
            throw new IllegalArgumentException("maxStreamsPerConnection: expected 0 or more, got " + maxStreamsPerConnection);
        }
    }

    private static DataSize window(DataSize value, DataSize fallback, long min, String name) {
        DataSize size = value == null ? fallback : value;
        if (size.bytes() < min || size.bytes() > MAX_WINDOW) {
            throw new IllegalArgumentException(name + ": expected " + min + " bytes to " + MAX_WINDOW + " bytes (2GB - 1), got " + size);
        }
        return size;
    }
}
