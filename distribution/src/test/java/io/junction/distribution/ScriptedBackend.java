package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 loopback backend for integration tests that keeps connections open and answers request after
 * request on each with the {@link Script} registered for its target, or a 2-byte 200 ("ok"). Counts the
 * connections it accepts; records every byte, request line and request ("GET /x") each connection receives, the
 * bodies it read, which connection carried which target, and when Junction closes a connection.
 *
 * <p>By default it reads Content-Length request bodies (and refuses chunked ones by ending the connection); a
 * backend made with {@link #refusingBodies()} takes requests without a body only and ends the connection on
 * any other.
 */
final class ScriptedBackend implements AutoCloseable {

    private static final Script OK = Script.respond("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    /**
     * What the backend does with a request: read its body (Content-Length) or leave it unread, then write
     * {@code first}, wait for {@code gate} (if any) and write {@code rest}; or reset the connection instead.
     */
    record Script(String first, CountDownLatch gate, String rest, boolean reset, boolean readBody) {

        /** Writes {@code raw} at once (one write, one segment). */
        static Script respond(String raw) {
            return new Script(raw, null, "", false, true);
        }

        static Script inTwoParts(String first, CountDownLatch gate, String rest) {
            return new Script(first, gate, rest, false, true);
        }

        /** Reads the request whole, then closes with RST (SO_LINGER 0) without a byte of response. */
        static Script resetAfterReading() {
            return new Script("", null, "", true, true);
        }

        /** Answers from the head alone, leaving a body it was told about unread, as a server refusing an Expect does. */
        static Script refuseBody(String raw) {
            return new Script(raw, null, "", false, false);
        }
    }

    private final boolean bodiesAllowed;
    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, Connection> servedBy = new ConcurrentHashMap<>();

    /** A backend that reads Content-Length request bodies. */
    ScriptedBackend() throws IOException {
        this(true);
    }

    /** A backend for requests without a body: one with a non-zero Content-Length or a Transfer-Encoding ends its connection. */
    static ScriptedBackend refusingBodies() throws IOException {
        return new ScriptedBackend(false);
    }

    private ScriptedBackend(boolean bodiesAllowed) throws IOException {
        this.bodiesAllowed = bodiesAllowed;
        server = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Connection connection = new Connection(accepted.incrementAndGet(), socket);
                    connections.add(connection);
                    Thread serving = new Thread(connection::serve, "scripted-backend-" + connection.id);
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    // closed
                }
            }
        }, "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many connections this backend has accepted so far. */
    int accepted() {
        return accepted.get();
    }

    void script(String target, Script script) {
        scripts.put(target, script);
    }

    /** Answers requests for {@code target} with {@code raw}, written at once: {@code script(target, Script.respond(raw))}. */
    void respond(String target, String raw) {
        script(target, Script.respond(raw));
    }

    /** The connection that carried the request for {@code target} (it has been received: its response was read). */
    Connection servedBy(String target) {
        Connection connection = servedBy.get(target);
        assertThat(connection).as("a backend connection carried " + target).isNotNull();
        return connection;
    }

    /** How many times {@code methodAndTarget} ("GET /x") reached this backend, over all its connections. */
    long requestCount(String methodAndTarget) {
        return connections.stream().flatMap(c -> c.requests().stream()).filter(methodAndTarget::equals).count();
    }

    List<String> allRequestLines() {
        return connections.stream().flatMap(c -> c.requestLines.stream()).toList();
    }

    String allReceived() {
        StringBuilder all = new StringBuilder();
        for (Connection connection : connections) {
            synchronized (connection.received) {
                all.append(connection.received.toString(StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Connection connection : connections) {
            connection.socket.close();
        }
        acceptor.join(TimeUnit.SECONDS.toMillis(5));
    }

    final class Connection {

        final int id;
        final Socket socket;
        /** Every byte received on this connection. */
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<String> requestLines = new CopyOnWriteArrayList<>();
        private final Map<String, String> bodies = new ConcurrentHashMap<>();
        /** Counted down when the peer closes (EOF) or resets the connection, or this side resets it. */
        final CountDownLatch closed = new CountDownLatch(1);

        Connection(int id, Socket socket) {
            this.id = id;
            this.socket = socket;
        }

        /** The requests ("GET /x") this connection carried, in order. */
        List<String> requests() {
            return List.copyOf(requests);
        }

        String bodyOf(String methodAndTarget) {
            return bodies.get(methodAndTarget);
        }

        /** Every byte received on this connection from the last {@code start} on (fails if it never came). */
        String receivedFrom(String start) {
            String all;
            synchronized (received) {
                all = received.toString(StandardCharsets.ISO_8859_1);
            }
            assertThat(all).contains(start);
            return all.substring(all.lastIndexOf(start));
        }

        boolean awaitClosed(Duration timeout) throws InterruptedException {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void serve() {
            try {
                socket.setSoTimeout(1000); // wakes up to notice the backend closing; idle keep-alive is normal
                InputStream in = new BufferedInputStream(socket.getInputStream());
                StringBuilder head = new StringBuilder();
                while (true) {
                    int c = read(in);
                    if (c < 0) {
                        return; // EOF: Junction closed the connection (or the backend is closing)
                    }
                    record(c);
                    head.append((char) c);
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        if (!answer(head.toString(), in)) {
                            return;
                        }
                        head.setLength(0);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // reset or closed: the connection is over either way
            } finally {
                closed.countDown();
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        /** The next byte, waiting out idle periods; -1 at EOF or once the backend is closed. */
        private int read(InputStream in) throws IOException {
            while (true) {
                try {
                    return in.read();
                } catch (SocketTimeoutException idle) {
                    if (server.isClosed()) {
                        return -1;
                    }
                }
            }
        }

        private void record(int c) {
            synchronized (received) {
                received.write(c);
            }
        }

        /** Answers one request; false when the connection is over. */
        private boolean answer(String head, InputStream in) throws IOException, InterruptedException {
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            requestLines.add(requestLine);
            String[] parts = requestLine.split(" ");
            if (parts.length != 3) {
                return false; // not a request: nothing to answer
            }
            String target = parts[1];
            String request = parts[0] + " " + target;
            Script script = scripts.getOrDefault(target, OK);
            String lower = head.toLowerCase(Locale.ROOT);
            if (lower.contains("\r\ntransfer-encoding:")) {
                throw new IOException("this backend takes Content-Length bodies only, got " + requestLine);
            }
            if (!bodiesAllowed && lower.contains("\r\ncontent-length:") && !lower.contains("\r\ncontent-length: 0\r\n")) {
                throw new IOException("this backend takes requests without a body, got " + requestLine);
            }
            if (script.readBody()) {
                int length = contentLength(lower);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (int i = 0; i < length; i++) {
                    int c = read(in);
                    if (c < 0) {
                        return false;
                    }
                    record(c);
                    body.write(c);
                }
                bodies.put(request, body.toString(StandardCharsets.ISO_8859_1));
            }
            requests.add(request);
            servedBy.put(target, this);
            if (script.reset()) {
                socket.setSoLinger(true, 0);
                socket.close(); // RST, no response
                return false;
            }
            OutputStream out = socket.getOutputStream();
            out.write(script.first().getBytes(StandardCharsets.ISO_8859_1)); // one write, one segment
            out.flush();
            if (script.gate() != null) {
                if (!script.gate().await(10, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the rest of " + requestLine);
                }
                out.write(script.rest().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            return true;
        }

        private static int contentLength(String lowerHead) {
            for (String line : lowerHead.split("\r\n")) {
                if (line.startsWith("content-length:")) {
                    return Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            return 0;
        }
    }
}
