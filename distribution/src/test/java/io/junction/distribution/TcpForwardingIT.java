package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tcp plugin through the real distribution, against real backends on loopback. */
@Timeout(180)
class TcpForwardingIT {

    @TempDir
    Path work;

    private Path config(int front, int admin, String upstreamExtras, int... backends) throws IOException {
        StringBuilder endpoints = new StringBuilder();
        for (int port : backends) {
            endpoints.append(endpoints.length() == 0 ? "" : ", ").append("\"127.0.0.1:").append(port).append('"');
        }
        return Configs.write(work, "tcp.json", """
                {
                  "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [
                    { "name": "front", "listen": "127.0.0.1:%d", "protocol": { "type": "tcp", "connectTimeout": "1s" }, "upstream": "echo" }
                  ],
                  "upstreams": [ { "name": "echo", "endpoints": [ %s ]%s } ]
                }
                """.formatted(admin, front, endpoints, upstreamExtras));
    }

    @Test
    void bytesArriveIntactBothWaysAndHalfCloseDeliversTheRest() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (EchoServer echo = new EchoServer("echo-1");
             JunctionProcess junction = JunctionProcess.startReady(work, "-c", config(front, admin, "", echo.port()).toString());
             Socket client = Net.connect(front)) {
            client.setSoTimeout(60_000);
            DataInputStream in = new DataInputStream(client.getInputStream());
            assertThat(readLine(in)).isEqualTo("echo-1");

            long size = 64L * 1024 * 1024;
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    Random random = new Random(42);
                    byte[] chunk = new byte[32 * 1024];
                    for (long written = 0; written < size; written += chunk.length) {
                        random.nextBytes(chunk);
                        sent.update(chunk);
                        out.write(chunk);
                    }
                    out.flush();
                    client.shutdownOutput(); // half-close: the echoes of what was sent must still arrive
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.update(buffer, 0, n);
                total += n;
            }
            writer.get(60, TimeUnit.SECONDS);
            assertThat(total).isEqualTo(size);
            assertThat(received.digest()).isEqualTo(sent.digest());

            // Spliced bytes reach the counters when the connection closes, just after the client saw the end.
            String metrics = Net.get(admin, "/metrics").body();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (metricValue(metrics, "junction_pipeline_sent_bytes_total{pipeline=\"front\"}") < size && System.nanoTime() < deadline) {
                Thread.sleep(50);
                metrics = Net.get(admin, "/metrics").body();
            }
            assertThat(metricValue(metrics, "junction_pipeline_received_bytes_total{pipeline=\"front\"}")).isGreaterThanOrEqualTo(size);
            assertThat(metricValue(metrics, "junction_pipeline_sent_bytes_total{pipeline=\"front\"}")).isGreaterThanOrEqualTo(size);
        }
    }

    @Test
    void connectionsSpreadRoundRobinAndEachStaysOnItsEndpoint() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (EchoServer a = new EchoServer("a"); EchoServer b = new EchoServer("b"); EchoServer c = new EchoServer("c");
             JunctionProcess junction = JunctionProcess.startReady(work, "-c",
                     config(front, admin, "", a.port(), b.port(), c.port()).toString())) {
            Map<String, Integer> spread = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                try (Socket client = Net.connect(front)) {
                    DataInputStream in = new DataInputStream(client.getInputStream());
                    String name = readLine(in);
                    spread.merge(name, 1, Integer::sum);
                    // Every later segment of this connection reaches the same backend.
                    for (int round = 0; round < 3; round++) {
                        client.getOutputStream().write(("ping " + round + "\n").getBytes());
                        assertThat(readLine(in)).isEqualTo("ping " + round);
                    }
                }
            }
            assertThat(spread).containsOnly(Map.entry("a", 10), Map.entry("b", 10), Map.entry("c", 10));
        }
    }

    @Test
    void deadEndpointIsSkippedThenMarkedUnhealthyByTheHealthCheck() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        int dead = Net.freePort(); // nothing listens here
        String healthCheck = ", \"healthCheck\": { \"type\": \"tcp\", \"interval\": \"200ms\", \"timeout\": \"100ms\", \"unhealthyThreshold\": 2 }";
        try (EchoServer live = new EchoServer("live");
             JunctionProcess junction = JunctionProcess.startReady(work, "-c",
                     config(front, admin, healthCheck, dead, live.port()).toString())) {
            for (int i = 0; i < 6; i++) {
                try (Socket client = Net.connect(front)) {
                    assertThat(readLine(new DataInputStream(client.getInputStream()))).isEqualTo("live");
                }
            }
            String deadGauge = "junction_upstream_endpoint_healthy{endpoint=\"127.0.0.1:" + dead + "\",upstream=\"echo\"}";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (metricValue(Net.get(admin, "/metrics").body(), deadGauge) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String metrics = Net.get(admin, "/metrics").body();
            assertThat(metricValue(metrics, deadGauge)).isZero();
            assertThat(metricValue(metrics, "junction_upstream_endpoint_connect_failures_total{endpoint=\"127.0.0.1:" + dead
                    + "\",upstream=\"echo\"}")).isPositive();
            junction.awaitOutput("endpoint 127.0.0.1:" + dead + " is unhealthy", Duration.ofSeconds(10));
        }
    }

    @Test
    void clientIsClosedWhenNoEndpointAnswers() throws Exception {
        int front = Net.freePort();
        int admin = Net.freePort();
        try (JunctionProcess junction = JunctionProcess.startReady(work, "-c",
                config(front, admin, "", Net.freePort(), Net.freePort()).toString());
             Socket client = Net.connect(front)) {
            InputStream in = client.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
            junction.awaitOutput("failed after 2 attempts, no other endpoint to try; closing client", Duration.ofSeconds(10));
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static long metricValue(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in\n" + metrics);
    }
}
