package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/1.1 backend connection pool and the connect timeout of the {@code http} protocol, through
 * the real distribution: {@code maxRequestsPerConnection}, {@code poolIdleTimeout},
 * {@code maxIdlePerEndpoint} and {@code connectTimeout}. The backends are small keep-alive servers of
 * this class that record every connection Junction opens, the requests each served and when Junction
 * closed it. Junction runs with one event loop, so that the per-loop idle bound is the bound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class BackendPoolIT {

    private static final int MAX_IDLE = 2;
    private static final int CONCURRENT = 6;

    private Path work;
    private JunctionProcess junction;
    private CountingBackend max3Backend;
    private CountingBackend unlimitedBackend;
    private CountingBackend idleBackend;
    private CountingBackend boundBackend;
    private ServerSocket blackhole;
    private final List<Socket> blackholeFill = new ArrayList<>();
    private int max3;
    private int unlimited;
    private int idle;
    private int bound;
    private int connectTimeout;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("pool-it");
        max3Backend = new CountingBackend(0);
        unlimitedBackend = new CountingBackend(0);
        idleBackend = new CountingBackend(0);
        boundBackend = new CountingBackend(CONCURRENT);
        // Never accepts: once its accept queue is full, Linux drops the SYNs to it (connectTimesOut fills it).
        blackhole = new ServerSocket(0, 1, InetAddress.getByName(Net.LOOPBACK));
        max3 = Net.freePort();
        unlimited = Net.freePort();
        idle = Net.freePort();
        bound = Net.freePort();
        connectTimeout = Net.freePort();
        junction = JunctionProcess.startReady(work, "--event-loops", "1", "-c", Configs.write(work, "pool.json", """
                { "pipelines": [
                    { "name": "max3", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "maxRequestsPerConnection": 3 }, "upstream": "max3" },
                    { "name": "unlimited", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "maxRequestsPerConnection": 0 }, "upstream": "unlimited" },
                    { "name": "idle", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "poolIdleTimeout": "1s" }, "upstream": "idle" },
                    { "name": "bound", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "maxIdlePerEndpoint": %d }, "upstream": "bound" },
                    { "name": "connect-timeout", "listen": "127.0.0.1:%d",
                      "protocol": { "type": "http", "connectTimeout": "1s", "connectAttempts": 1 }, "upstream": "blackhole" } ],
                  "upstreams": [
                    { "name": "max3", "endpoints": [ "%s" ] },
                    { "name": "unlimited", "endpoints": [ "%s" ] },
                    { "name": "idle", "endpoints": [ "%s" ] },
                    { "name": "bound", "endpoints": [ "%s" ] },
                    { "name": "blackhole", "endpoints": [ "127.0.0.1:%d" ] } ] }
                """.formatted(max3, unlimited, idle, bound, MAX_IDLE, connectTimeout, max3Backend.endpoint(),
                unlimitedBackend.endpoint(), idleBackend.endpoint(), boundBackend.endpoint(), blackhole.getLocalPort()))
                .toString());
    }

    @AfterAll
    void stop() throws Exception {
        for (Socket socket : blackholeFill) {
            socket.close();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {junction, max3Backend, unlimitedBackend, idleBackend, boundBackend, blackhole}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void aBackendConnectionServesAtMostMaxRequestsPerConnection() throws Exception {
        List<String> servedBy = sequentialOnOneClientConnection(max3, 9);

        assertThat(max3Backend.accepted()).as("backend connections for 9 requests at 3 each").isEqualTo(3);
        assertThat(max3Backend.connections()).extracting(BackendConnection::requests).containsExactly(3, 3, 3);
        assertThat(servedBy).containsExactly("1", "1", "1", "2", "2", "2", "3", "3", "3");
        // Junction closes each one after its third response (it is not kept idle in the pool).
        await("Junction closes all 3 backend connections", Duration.ofSeconds(8),
                () -> max3Backend.connections().stream().allMatch(BackendConnection::closedByJunction));
    }

    @Test
    void maxRequestsPerConnectionZeroIsUnlimited() throws Exception {
        List<String> servedBy = sequentialOnOneClientConnection(unlimited, 9);

        assertThat(unlimitedBackend.accepted()).as("backend connections for 9 requests without a limit").isEqualTo(1);
        assertThat(unlimitedBackend.connections()).extracting(BackendConnection::requests).containsExactly(9);
        assertThat(servedBy).containsOnly("1");
        Thread.sleep(300); // a close after the last response would come at once
        assertThat(unlimitedBackend.connections().get(0).closedByJunction()).as("pooled, not closed").isFalse();
    }

    @Test
    void anIdlePooledConnectionIsClosedAfterPoolIdleTimeoutAndTheNextRequestOpensANewOne() throws Exception {
        assertThat(get(idle, "/first").headers().firstValue("x-conn")).hasValue("1");
        long idleFrom = System.nanoTime();
        BackendConnection first = idleBackend.connections().get(0);

        assertThat(first.closed.await(8, TimeUnit.SECONDS)).as("Junction closes the idle pooled connection within 8 s").isTrue();
        long afterMillis = TimeUnit.NANOSECONDS.toMillis(first.closedAt - idleFrom);
        assertThat(first.closedByJunction()).isTrue();
        assertThat(afterMillis).as("closed after poolIdleTimeout (1s), not before").isBetween(800L, 8000L);

        assertThat(get(idle, "/second").headers().firstValue("x-conn")).as("served on a new backend connection").hasValue("2");
        assertThat(idleBackend.accepted()).isEqualTo(2);
        assertThat(idleBackend.connections()).extracting(BackendConnection::requests).containsExactly(1, 1);
    }

    @Test
    void atMostMaxIdlePerEndpointConnectionsStayPooled() throws Exception {
        // CONCURRENT client connections, each with one request that the backend holds until all have arrived:
        // Junction needs CONCURRENT backend connections at once, then has CONCURRENT idle ones to pool.
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<Future<String>> responses = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                responses.add(clients.submit(() -> {
                    try (Socket socket = Net.connect(bound)) {
                        send(socket, "GET /hold HTTP/1.1\r\nHost: pool\r\n\r\n");
                        return Net.readResponse(socket.getInputStream());
                    }
                }));
            }
            for (Future<String> response : responses) {
                assertThat(response.get(15, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200 ");
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(boundBackend.held()).as("all requests were held together").isEqualTo(CONCURRENT);
        assertThat(boundBackend.accepted()).as("one backend connection per concurrent request").isEqualTo(CONCURRENT);

        await("Junction closes the backend connections beyond maxIdlePerEndpoint", Duration.ofSeconds(8),
                () -> boundBackend.closedCount() >= CONCURRENT - MAX_IDLE);
        Thread.sleep(500); // a late close of one more would show now
        assertThat(boundBackend.closedCount()).as("closed by Junction").isEqualTo(CONCURRENT - MAX_IDLE);
        assertThat(boundBackend.openCount()).as("kept open (pooled)").isEqualTo(MAX_IDLE);

        // The ones kept are reused: two more requests open no new backend connection.
        for (int i = 0; i < MAX_IDLE; i++) {
            assertThat(get(bound, "/again").statusCode()).isEqualTo(200);
        }
        assertThat(boundBackend.accepted()).as("pooled connections reused").isEqualTo(CONCURRENT);
    }

    @Test
    void aConnectThatGetsNoAnswerFailsAfterConnectTimeoutWith502() throws Exception {
        // Fill the blackhole's accept queue with connections of our own until a connect gets no answer.
        boolean full = false;
        for (int i = 0; i < 20 && !full; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(Net.LOOPBACK, blackhole.getLocalPort()), 500);
                blackholeFill.add(socket);
            } catch (SocketTimeoutException timedOut) {
                socket.close();
                full = true;
            }
        }
        assumeTrue(full, "this kernel answers SYNs beyond a full accept queue: no loopback blackhole");

        long start = System.nanoTime();
        HttpResponse<String> response = get(connectTimeout, "/");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-junction-error")).hasValue("connect-failed");
        // connectTimeout is 1s (default 5s) and one attempt: not a refused connect, not the default timeout.
        assertThat(tookMillis).as("time to the 502").isBetween(900L, 4000L);
    }

    // --- helpers

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code count} GETs one after the other on one client connection; the x-conn of each response. */
    private static List<String> sequentialOnOneClientConnection(int port, int count) throws IOException {
        List<String> servedBy = new ArrayList<>();
        try (Socket socket = Net.connect(port)) {
            for (int i = 0; i < count; i++) {
                send(socket, "GET /r" + i + " HTTP/1.1\r\nHost: pool\r\n\r\n");
                String response = Net.readResponse(socket.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200 ");
                servedBy.add(header(response, "x-conn"));
            }
        }
        return servedBy;
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in " + response);
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    /** One connection a {@link CountingBackend} accepted: the requests it served and whether (when) Junction closed it. */
    static final class BackendConnection {
        final int id;
        final AtomicInteger requests = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile long closedAt;
        volatile boolean byJunction;

        BackendConnection(int id) {
            this.id = id;
        }

        int requests() {
            return requests.get();
        }

        boolean closedByJunction() {
            return closed.getCount() == 0 && byJunction;
        }
    }

    /**
     * An HTTP/1.1 keep-alive backend on a plain ServerSocket, a thread per connection. Answers every GET
     * with 200 and {@code x-conn: <n>}, n counting connections from 1. A path starting with {@code /hold}
     * is answered only once {@code holdUntil} such requests have arrived (at most 10 s). A read that
     * returns -1 (or a reset) means Junction closed the connection.
     */
    static final class CountingBackend implements AutoCloseable {
        private final ServerSocket server;
        private final List<BackendConnection> connections = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final AtomicInteger held = new AtomicInteger();
        private final CountDownLatch allHeld;
        private volatile boolean closing;

        CountingBackend(int holdUntil) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
            allHeld = new CountDownLatch(holdUntil);
            Thread acceptor = new Thread(this::acceptLoop, "counting-backend-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String endpoint() {
            return Net.LOOPBACK + ":" + server.getLocalPort();
        }

        int accepted() {
            return connections.size();
        }

        List<BackendConnection> connections() {
            return connections;
        }

        int held() {
            return held.get();
        }

        long closedCount() {
            return connections.stream().filter(BackendConnection::closedByJunction).count();
        }

        long openCount() {
            return connections.stream().filter(c -> c.closed.getCount() > 0).count();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    BackendConnection connection = new BackendConnection(connections.size() + 1);
                    connections.add(connection);
                    Thread thread = new Thread(() -> serve(socket, connection), "counting-backend-conn-" + connection.id);
                    thread.setDaemon(true);
                    thread.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket, BackendConnection connection) {
            boolean byJunction = false;
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        byJunction = true; // end of stream: Junction closed it
                        return;
                    }
                    int length = contentLength(head);
                    if (length > 0) {
                        in.readNBytes(length);
                    }
                    connection.requests.incrementAndGet();
                    String target = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                    if (target.startsWith("/hold")) {
                        held.incrementAndGet();
                        allHeld.countDown();
                        allHeld.await(10, TimeUnit.SECONDS);
                    }
                    byte[] body = ("conn " + connection.id + "\n").getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-conn: " + connection.id + "\r\ncontent-length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException e) {
                byJunction = !closing; // a reset from Junction's side
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                connection.byJunction = byJunction;
                connection.closedAt = System.nanoTime();
                connection.closed.countDown();
            }
        }

        /** The request head, or null at end of stream before any byte of one. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new IOException("end of stream inside a request head");
                }
                head.write(c);
                matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            closing = true;
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
