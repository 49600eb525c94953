package io.junction.plugin.http.codec;

/** The two protocol versions an HTTP/1.x message may carry. */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** As written on the wire: {@code HTTP/1.1}. */
    public String text() {
        return text;
    }
}
