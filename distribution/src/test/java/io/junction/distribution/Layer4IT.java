package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layer 4 proxy through the real distribution (epoll on Linux): splice on and off, PROXY
 * protocol both directions, limits, allow/deny lists, routing by listen address and by TLS server name.
 */
@Timeout(180)
class Layer4IT {

    @TempDir
    Path work;

    private JunctionProcess start(String json) throws IOException {
        return JunctionProcess.startReady(work, "-c", Configs.write(work, "l4.json", json).toString());
    }

    /**
     * The client half-closes right after its last byte and still gets every echo: relayed, spliced
     * after the first 64 KB (the default) and spliced from the first byte. The byte counters see
     * every byte, spliced or not.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"splice\": false", "\"splice\": true", "\"splice\": true, \"spliceAfter\": \"0\""})
    void hundredMegabytesArriveIntactWithAndWithoutSplice(String settings) throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (EchoServer echo = new EchoServer("echo");
             JunctionProcess junction = start("""
                     { "admin": { "listen": "127.0.0.1:%d" },
                       "pipelines": [ { "name": "bulk", "listen": "127.0.0.1:%d",
                         "protocol": { "type": "tcp", %s }, "upstream": "echo" } ],
                       "upstreams": [ { "name": "echo", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(admin, front, settings, echo.port()));
             Socket client = Net.connect(front)) {
            client.setSoTimeout(60_000);
            DataInputStream in = new DataInputStream(client.getInputStream());
            assertThat(readLine(in)).isEqualTo("echo");
            long size = 100L * 1024 * 1024;
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    Random random = new Random(7);
                    byte[] chunk = new byte[64 * 1024];
                    for (long written = 0; written < size; written += chunk.length) {
                        random.nextBytes(chunk);
                        sent.update(chunk);
                        out.write(chunk);
                    }
                    client.shutdownOutput(); // half-close at once: the echoes still queued must all arrive
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; total < size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size - total))) > 0; ) {
                received.update(buffer, 0, n);
                total += n;
            }
            writer.get(60, TimeUnit.SECONDS);
            assertThat(in.read()).as("the backend's close reaches the client").isEqualTo(-1);
            assertThat(total).isEqualTo(size);
            assertThat(received.digest()).isEqualTo(sent.digest());

            String fromClient = "junction_pipeline_received_bytes_total{pipeline=\"bulk\"}";
            awaitMetric(admin, fromClient + " " + (double) size);
            String endpointSent = "junction_upstream_endpoint_sent_bytes_total{endpoint=\"127.0.0.1:" + echo.port() + "\",upstream=\"echo\"}";
            String metrics = awaitMetric(admin, endpointSent + " " + (double) size);
            assertThat(metricValue(metrics, "junction_pipeline_sent_bytes_total{pipeline=\"bulk\"}")).isEqualTo(size + 5.0);
            assertThat(metricValue(metrics, "junction_upstream_endpoint_received_bytes_total{endpoint=\"127.0.0.1:"
                    + echo.port() + "\",upstream=\"echo\"}")).isEqualTo(size + 5.0);
        }
    }

    private static double metricValue(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError("no " + name + " in\n" + metrics));
    }

    /** A backend that sends a large response and closes at once: the client gets every byte, spliced or not. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"splice\": false", "\"splice\": true", "\"splice\": true, \"spliceAfter\": \"0\""})
    void aBackendThatSendsAndClosesAtOnceLosesNothing(String settings) throws Exception {
        int front = Net.freePort();
        long size = 48L * 1024 * 1024;
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(new byte[0]);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getByName(Net.LOOPBACK));
             JunctionProcess junction = start("""
                     { "pipelines": [ { "name": "download", "listen": "127.0.0.1:%d",
                         "protocol": { "type": "tcp", %s }, "upstream": "b" } ],
                       "upstreams": [ { "name": "b", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(front, settings, backend.getLocalPort()));
             Socket client = Net.connect(front)) {
            client.setSoTimeout(60_000);
            client.getOutputStream().write("GET\n".getBytes());
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = backend.accept()) {
                    s.getInputStream().readNBytes(4);
                    OutputStream out = s.getOutputStream();
                    Random random = new Random(11);
                    byte[] chunk = new byte[256 * 1024];
                    for (long written = 0; written < size; written += chunk.length) {
                        random.nextBytes(chunk);
                        sent.update(chunk);
                        out.write(chunk);
                    }
                } catch (IOException e) { // closes right after the last write
                    throw new IllegalStateException(e);
                }
            });
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.update(buffer, 0, n);
                total += n;
            }
            server.get(60, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(size);
            assertThat(received.digest()).isEqualTo(sent.digest()).isNotEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "PROXY {0}")
    @ValueSource(strings = {"v1", "v2"})
    void backendsAreSentTheClientAddressInAProxyProtocolHeader(String version) throws Exception {
        int front = Net.freePort();
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getByName(Net.LOOPBACK));
             JunctionProcess junction = start("""
                     { "pipelines": [ { "name": "p", "listen": "127.0.0.1:%d",
                         "protocol": { "type": "tcp", "sendProxyProtocol": "%s" }, "upstream": "b" } ],
                       "upstreams": [ { "name": "b", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(front, version, backend.getLocalPort()));
             Socket client = Net.connect(front)) {
            client.getOutputStream().write("hello".getBytes());
            try (Socket seen = backend.accept()) {
                seen.setSoTimeout(10_000);
                InputStream in = seen.getInputStream();
                ProxyHeader header = ProxyHeader.read(in);
                assertThat(header.source()).isEqualTo("127.0.0.1");
                assertThat(header.sourcePort()).isEqualTo(client.getLocalPort());
                assertThat(header.destination()).isEqualTo("127.0.0.1");
                assertThat(header.destinationPort()).isEqualTo(front);
                assertThat(new String(in.readNBytes(5))).as("the payload follows the header").isEqualTo("hello");
            }
        }
    }

    @Test
    void proxyProtocolFromALoadBalancerSetsTheClientAddressUsedByAllowListsAndSentOn() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getByName(Net.LOOPBACK));
             JunctionProcess junction = start("""
                     { "admin": { "listen": "127.0.0.1:%d" },
                       "pipelines": [ { "name": "lb", "listen": "127.0.0.1:%d", "acceptProxyProtocol": true,
                         "filters": [ { "type": "ip-access", "allow": [ "203.0.113.0/24" ], "deny": [ "203.0.113.66" ] } ],
                         "protocol": { "type": "tcp", "sendProxyProtocol": "v2" }, "upstream": "b" } ],
                       "upstreams": [ { "name": "b", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(admin, front, backend.getLocalPort()))) {
            // v1 header from an allowed client, with payload in the same segment
            try (Socket client = Net.connect(front)) {
                client.getOutputStream().write("PROXY TCP4 203.0.113.7 192.0.2.1 41000 443\r\nping".getBytes());
                try (Socket seen = backend.accept()) {
                    seen.setSoTimeout(10_000);
                    ProxyHeader header = ProxyHeader.read(seen.getInputStream());
                    assertThat(header.source()).isEqualTo("203.0.113.7");
                    assertThat(header.sourcePort()).isEqualTo(41000);
                    assertThat(header.destination()).isEqualTo("192.0.2.1");
                    assertThat(header.destinationPort()).isEqualTo(443);
                    assertThat(new String(seen.getInputStream().readNBytes(4))).isEqualTo("ping");
                }
            }
            // v2 header from a denied client: closed before any backend connection
            try (Socket client = Net.connect(front)) {
                client.getOutputStream().write(ProxyHeader.v2("203.0.113.66", 5000, "192.0.2.1", 443));
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            // v1 header from a client outside the allow list
            try (Socket client = Net.connect(front)) {
                client.getOutputStream().write("PROXY TCP4 198.51.100.1 192.0.2.1 5000 443\r\n".getBytes());
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            // no header at all
            try (Socket client = Net.connect(front)) {
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            String metrics = awaitMetric(admin, "junction_pipeline_connections_rejected_total{pipeline=\"lb\",reason=\"proxy-protocol\"} 1.0");
            assertThat(metrics).contains("junction_pipeline_connections_refused_total{pipeline=\"lb\"} 2.0");
        }
    }

    @Test
    void connectionsBeyondTheLimitsAreClosedAtOnceAndCounted() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (EchoServer echo = new EchoServer("echo");
             JunctionProcess junction = start("""
                     { "admin": { "listen": "127.0.0.1:%d" },
                       "pipelines": [ { "name": "limited", "listen": "127.0.0.1:%d",
                         "limits": { "maxConnections": 2 },
                         "protocol": { "type": "tcp" }, "upstream": "echo" } ],
                       "upstreams": [ { "name": "echo", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(admin, front, echo.port()));
             Socket first = Net.connect(front); Socket second = Net.connect(front)) {
            assertThat(readLine(new DataInputStream(first.getInputStream()))).isEqualTo("echo");
            assertThat(readLine(new DataInputStream(second.getInputStream()))).isEqualTo("echo");
            try (Socket third = Net.connect(front)) {
                assertThat(third.getInputStream().read()).as("third connection").isEqualTo(-1);
            }
            awaitMetric(admin, "junction_pipeline_connections_rejected_total{pipeline=\"limited\",reason=\"max-connections\"} 1.0");
            first.close();
            // Junction has seen the close once the pipeline counts only the second connection (the refused third closed too):
            // the limiter gives its slot back in the same close notification.
            awaitMetric(admin, "junction_pipeline_connections_active{pipeline=\"limited\"} 1.0");
            try (Socket again = Net.connect(front)) {
                assertThat(readLine(new DataInputStream(again.getInputStream()))).as("room again after one closed").isEqualTo("echo");
            }
        }
    }

    @Test
    void perClientLimitAndAcceptRate() throws Exception {
        int perClient = Net.freePort();
        int rated = Net.freePort();
        int admin = Net.freePort();
        try (EchoServer echo = new EchoServer("echo");
             JunctionProcess junction = start("""
                     { "admin": { "listen": "127.0.0.1:%d" },
                       "pipelines": [
                         { "name": "per-client", "listen": "127.0.0.1:%d", "limits": { "maxConnectionsPerClient": 1 },
                           "protocol": { "type": "tcp" }, "upstream": "echo" },
                         { "name": "rated", "listen": "127.0.0.1:%d", "limits": { "acceptRate": 2 },
                           "protocol": { "type": "tcp" }, "upstream": "echo" } ],
                       "upstreams": [ { "name": "echo", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(admin, perClient, rated, echo.port()))) {
            try (Socket first = Net.connect(perClient)) {
                assertThat(readLine(new DataInputStream(first.getInputStream()))).isEqualTo("echo");
                try (Socket second = Net.connect(perClient)) {
                    assertThat(second.getInputStream().read()).isEqualTo(-1);
                }
            }
            // All six connected before any is read from: one burst of accepts, however slowly this machine reads the answers.
            List<Socket> burst = new java.util.ArrayList<>();
            int served = 0;
            try {
                for (int i = 0; i < 6; i++) {
                    burst.add(Net.connect(rated));
                }
                for (Socket s : burst) {
                    if (s.getInputStream().read() != -1) {
                        served++;
                    }
                }
            } finally {
                for (Socket s : burst) {
                    s.close();
                }
            }
            assertThat(served).as("a burst of 6 against 2 per second").isBetween(2, 3);
            String metrics = awaitMetric(admin,
                    "junction_pipeline_connections_rejected_total{pipeline=\"per-client\",reason=\"max-connections-per-client\"} 1.0");
            assertThat(metrics).containsPattern("junction_pipeline_connections_rejected_total\\{pipeline=\"rated\",reason=\"accept-rate\"} [34]\\.0");
        }
    }

    @Test
    void eachListenAddressRoutesToItsUpstream() throws Exception {
        int plain = Net.freePort();
        int other = Net.freePort();
        try (EchoServer a = new EchoServer("a"); EchoServer b = new EchoServer("b");
             JunctionProcess junction = start("""
                     { "pipelines": [ { "name": "ports", "listen": [ "127.0.0.1:%d", "127.0.0.1:%d" ],
                         "protocol": { "type": "tcp" },
                         "routes": [ { "match": { "listen": [ ":%d" ] }, "upstream": "b" }, { "upstream": "a" } ] } ],
                       "upstreams": [ { "name": "a", "endpoints": [ "127.0.0.1:%d" ] },
                                      { "name": "b", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(plain, other, other, a.port(), b.port()))) {
            for (int i = 0; i < 3; i++) {
                try (Socket s = Net.connect(plain)) {
                    assertThat(readLine(new DataInputStream(s.getInputStream()))).isEqualTo("a");
                }
                try (Socket s = Net.connect(other)) {
                    assertThat(readLine(new DataInputStream(s.getInputStream()))).isEqualTo("b");
                }
            }
        }
    }

    @Test
    void tlsIsRoutedBySniAndPassedThroughUntouched() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (TlsBackend api = new TlsBackend("api", work); TlsBackend wild = new TlsBackend("wild", work);
             TlsBackend fallback = new TlsBackend("fallback", work);
             JunctionProcess junction = start("""
                     { "admin": { "listen": "127.0.0.1:%d" },
                       "pipelines": [ { "name": "sni", "listen": "127.0.0.1:%d", "protocol": { "type": "tcp" },
                         "routes": [
                           { "match": { "serverNames": [ "api.example.com" ] }, "upstream": "api" },
                           { "match": { "serverNames": [ "*.apps.example.com" ] }, "upstream": "wild" },
                           { "upstream": "fallback" } ] } ],
                       "upstreams": [ { "name": "api", "endpoints": [ "127.0.0.1:%d" ] },
                                      { "name": "wild", "endpoints": [ "127.0.0.1:%d" ] },
                                      { "name": "fallback", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(admin, front, api.port(), wild.port(), fallback.port()))) {
            // The TLS session is with the backend itself: each client trusts only that backend's certificate.
            assertThat(tlsGreeting(front, api.clientContext(), "api.example.com")).isEqualTo("api sni=api.example.com");
            assertThat(tlsGreeting(front, wild.clientContext(), "x.y.apps.example.com")).isEqualTo("wild sni=x.y.apps.example.com");
            assertThat(tlsGreeting(front, fallback.clientContext(), "other.example.org")).isEqualTo("fallback sni=other.example.org");
            assertThat(tlsGreeting(front, fallback.clientContext(), null)).isEqualTo("fallback sni=none");

            // A ClientHello split over several segments is reassembled before routing.
            byte[] hello = clientHello(api.clientContext(), "api.example.com");
            int before = api.accepted();
            try (Socket s = Net.connect(front)) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                int third = hello.length / 3;
                out.write(hello, 0, 5);
                out.flush();
                Thread.sleep(100);
                out.write(hello, 5, third);
                out.flush();
                Thread.sleep(100);
                out.write(hello, 5 + third, hello.length - 5 - third);
                out.flush();
                int first = s.getInputStream().read();
                assertThat(first).as("a TLS handshake record from the backend").isEqualTo(22);
            }
            assertThat(api.accepted()).isEqualTo(before + 1);

            // Not TLS at all: closed and counted.
            try (Socket s = Net.connect(front)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n".getBytes());
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            awaitMetric(admin, "junction_tcp_connections_unrouted_total{pipeline=\"sni\",reason=\"not-tls\"} 1.0");
        }
    }

    @Test
    void sniWithoutADefaultRouteClosesUnknownNames() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (TlsBackend api = new TlsBackend("api", work);
             JunctionProcess junction = start("""
                     { "admin": { "listen": "127.0.0.1:%d" },
                       "pipelines": [ { "name": "strict", "listen": "127.0.0.1:%d", "protocol": { "type": "tcp" },
                         "routes": [ { "match": { "serverNames": [ "api.example.com" ] }, "upstream": "api" } ] } ],
                       "upstreams": [ { "name": "api", "endpoints": [ "127.0.0.1:%d" ] } ] }
                     """.formatted(admin, front, api.port()))) {
            assertThat(tlsGreeting(front, api.clientContext(), "api.example.com")).isEqualTo("api sni=api.example.com");
            try (Socket s = Net.connect(front)) {
                s.getOutputStream().write(clientHello(api.clientContext(), "evil.example.com"));
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            awaitMetric(admin, "junction_tcp_connections_unrouted_total{pipeline=\"strict\",reason=\"no-route\"} 1.0");
        }
    }

    private static String tlsGreeting(int port, SSLContext context, String serverName) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(Net.LOOPBACK, port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return readLine(new DataInputStream(socket.getInputStream()));
        }
    }

    /** The bytes of a real TLS ClientHello for {@code serverName}, as an SSLEngine would send them. */
    private static byte[] clientHello(SSLContext context, String serverName) throws IOException {
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
        assertThat(result.bytesProduced()).isPositive();
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static String awaitMetric(int admin, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = Net.get(admin, "/metrics").body();
            if (metrics.contains(line)) {
                return metrics;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + line + "' in\n" + metrics);
    }

    static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
