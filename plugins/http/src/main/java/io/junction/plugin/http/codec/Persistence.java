package io.junction.plugin.http.codec;

/** Whether a connection persists after a message, from its version and Connection field (RFC 9112 9.3). */
final class Persistence {

    private Persistence() {
    }

    static boolean keepAlive(HttpVersion version, HttpHeaders headers) {
        if (headers.containsToken("connection", "close")) {
            return false;
        }
        return version != HttpVersion.HTTP_1_0 || headers.containsToken("connection", "keep-alive");
    }
}
