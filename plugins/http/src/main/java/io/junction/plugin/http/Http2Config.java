package io.junction.plugin.http;

import io.junction.api.config.ConfigDoc;
import io.junction.api.config.DataSize;
import java.time.Duration;

/** HTTP/2 towards clients: whether it is accepted, its flow-control windows and its limits against abuse. */
@ConfigDoc("HTTP/2 from clients: h2c by prior knowledge, h2 over TLS (add \"h2\" to the pipeline's tls.alpn).")
public record Http2Config(
        @ConfigDoc(value = "Accept HTTP/2 on this pipeline beside HTTP/1.1 (told apart by the HTTP/2 connection preface).",
                defaultValue = "true") Boolean enabled,
        @ConfigDoc(value = "Streams a client may have open at once on one connection (SETTINGS_MAX_CONCURRENT_STREAMS).",
                defaultValue = "100") Integer maxConcurrentStreams,
        @ConfigDoc(value = "Flow-control window of each stream: what a client may send on one stream before Junction "
                + "has passed it on (SETTINGS_INITIAL_WINDOW_SIZE).", defaultValue = "256KB") DataSize initialStreamWindow,
        @ConfigDoc(value = "Flow-control window of the whole connection, all streams together.", defaultValue = "1MB")
        DataSize connectionWindow,
        @ConfigDoc(value = "Stream resets a client may cause within resetWindow (rapid reset, CVE-2023-44487); beyond, the "
                + "connection is closed with GOAWAY ENHANCE_YOUR_CALM.", defaultValue = "200") Integer maxResets,
        @ConfigDoc(value = "The window over which maxResets is counted.", defaultValue = "30s") Duration resetWindow,
        @ConfigDoc(value = "PING and SETTINGS frames a client may send per second; beyond, GOAWAY ENHANCE_YOUR_CALM.",
                defaultValue = "100") Integer maxControlFramesPerSecond) {

    static final Http2Config DEFAULT = new Http2Config(null, null, null, null, null, null, null);

    private static final int MAX_WINDOW = Integer.MAX_VALUE;

    public Http2Config {
        enabled = enabled == null || enabled;
        maxConcurrentStreams = maxConcurrentStreams == null ? 100 : maxConcurrentStreams;
        if (maxConcurrentStreams < 1 || maxConcurrentStreams > 10_000) {
            throw new IllegalArgumentException("maxConcurrentStreams: expected 1 to 10000, got " + maxConcurrentStreams);
        }
        initialStreamWindow = window(initialStreamWindow, DataSize.ofKilobytes(256), "initialStreamWindow");
        connectionWindow = window(connectionWindow, DataSize.ofKilobytes(1024), "connectionWindow");
        maxResets = maxResets == null ? 200 : maxResets;
        if (maxResets < 1 || maxResets > 1_000_000) {
            throw new IllegalArgumentException("maxResets: expected 1 to 1000000, got " + maxResets);
        }
        resetWindow = resetWindow == null ? Duration.ofSeconds(30) : resetWindow;
        if (resetWindow.toSeconds() < 1 || resetWindow.toSeconds() > 3600) {
            throw new IllegalArgumentException("resetWindow: must be between 1s and 1h");
        }
        maxControlFramesPerSecond = maxControlFramesPerSecond == null ? 100 : maxControlFramesPerSecond;
        if (maxControlFramesPerSecond < 1 || maxControlFramesPerSecond > 1_000_000) {
            throw new IllegalArgumentException("maxControlFramesPerSecond: expected 1 to 1000000, got " + maxControlFramesPerSecond);
        }
    }

    private static DataSize window(DataSize value, DataSize fallback, String name) {
        DataSize size = value == null ? fallback : value;
        if (size.bytes() < 65_535 || size.bytes() > MAX_WINDOW) {
            throw new IllegalArgumentException(name + ": expected 65535B to 2GB, got " + size);
        }
        return size;
    }
}
