package io.junction.plugin.http.codec;

/** The protocol version of a message: HTTP/1.0 or 1.1 as written on the wire, or HTTP/2 (frames, no start line). */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1"),
    HTTP_2("HTTP/2");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** As written on the wire: {@code HTTP/1.1}. */
    public String text() {
        return text;
    }
}
