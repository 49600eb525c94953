package io.junction.plugin.respond;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.x connection for tests: writes bytes as given, parses responses strictly. */
final class RawHttp implements AutoCloseable {

    /** One parsed response; header names lower case, a repeated header's values joined with ", ". */
    record Response(String version, int status, String reason, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawHttp(InetSocketAddress address, int timeoutMillis) throws IOException {
        this(address, timeoutMillis, 0);
    }

    /** With a fixed receive buffer when {@code receiveBufferSize} is not 0, to make a slow reader. */
    RawHttp(InetSocketAddress address, int timeoutMillis, int receiveBufferSize) throws IOException {
        socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.connect(address, timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
    }

    Socket socket() {
        return socket;
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; for the response to a HEAD request no body is read, whatever Content-Length says. */
    Response read(boolean toHead) throws IOException {
        Response head = readHead();
        byte[] body = new byte[0];
        if (!toHead && head.headers().containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(head.header("content-length")));
        } else if (!toHead && head.headers().containsKey("transfer-encoding")) {
            throw new IOException("chunked responses are not expected here");
        }
        return new Response(head.version(), head.status(), head.reason(), head.headers(), body);
    }

    /** Reads the status line and header section of a response, leaving its body unread. */
    Response readHead() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line; !(line = headerLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            headers.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        return new Response(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers, new byte[0]);
    }

    /**
     * Whether the server closed the connection: reads until the stream ends, within the socket's
     * timeout. A reset also counts as closed. Fails on unexpected bytes.
     */
    boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                throw new IOException("expected the connection to end, got more bytes starting with " + (char) b);
            }
            return true;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    /** Whether any bytes, or the end of the stream, arrive within {@code millis}. */
    boolean quietFor(int millis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            in.mark(1);
            in.read(); // a byte or the end of the stream: not quiet
            in.reset();
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    /** Reads exactly {@code length} bytes (a body whose head {@link #readHead()} returned). */
    byte[] readBody(int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return body;
    }

    private String headerLine() throws IOException {
        String line = line();
        if (line == null) {
            throw new IOException("connection closed within the header section");
        }
        return line;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new IOException("connection closed within a line: " + line.toString(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
