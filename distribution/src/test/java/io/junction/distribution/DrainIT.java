package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM drains: stop accepting, let in-flight connections finish (bounded), exit 0. */
@Timeout(120)
class DrainIT {

    @TempDir
    Path work;

    private Path config(int front, int backend, String drainTimeout) throws IOException {
        return Configs.write(work, "drain.json", """
                {
                  "drainTimeout": "%s",
                  "pipelines": [
                    { "name": "front", "listen": "127.0.0.1:%d", "protocol": { "type": "tcp" }, "upstream": "slow" }
                  ],
                  "upstreams": [ { "name": "slow", "endpoints": [ "127.0.0.1:%d" ] } ]
                }
                """.formatted(drainTimeout, front, backend));
    }

    @Test
    void inFlightConnectionFinishesAfterSigtermWhileNewConnectionsAreRefused() throws Exception {
        int front = Net.freePort();
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
             JunctionProcess junction = JunctionProcess.startReady(work, "run", "-c", config(front, backend.getLocalPort(), "20s").toString())) {
            // The backend answers a line only after the client has waited 2 s.
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (Socket s = backend.accept()) {
                    s.getInputStream().read();
                    Thread.sleep(2000);
                    s.getOutputStream().write("late answer\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket client = Net.connect(front)) {
                client.getOutputStream().write('?');
                client.getOutputStream().flush();
                Thread.sleep(300); // let the backend connection open
                junction.signalTerm();
                junction.awaitOutput("draining", Duration.ofSeconds(10));

                assertThatThrownBy(() -> {
                    try (Socket refused = Net.connect(front)) {
                        refused.getOutputStream().write('x');
                        if (refused.getInputStream().read() == -1) {
                            throw new IOException("closed at once");
                        }
                    }
                }).as("a new connection after SIGTERM").isInstanceOf(IOException.class);

                String answer = Net.readAll(client.getInputStream());
                assertThat(answer).isEqualTo("late answer\n");
                serving.get(10, TimeUnit.SECONDS);
            } // the client closes its side too: the connection is finished
            assertThat(junction.waitFor(Duration.ofSeconds(30))).isZero();
            assertThat(junction.output()).contains("drained: all connections finished");
        }
    }

    @Test
    void drainTimeoutClosesConnectionsThatDoNotFinish() throws Exception {
        int front = Net.freePort();
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
             JunctionProcess junction = JunctionProcess.startReady(work, "-c", config(front, backend.getLocalPort(), "1s").toString());
             Socket client = Net.connect(front)) {
            client.getOutputStream().write('?');
            try (Socket held = backend.accept()) { // the backend never answers
                long start = System.nanoTime();
                int exit = junction.terminate(Duration.ofSeconds(30));
                assertThat(exit).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                assertThat(junction.output()).contains("drain timeout: closing 1 connections still open");
                InputStream in = client.getInputStream();
                assertThat(in.read()).as("client sees the close").isEqualTo(-1);
                held.setSoTimeout(10_000);
                assertThat(held.getInputStream().read()).as("the byte forwarded before the drain").isEqualTo('?');
                assertThat(held.getInputStream().read()).as("backend sees the close").isEqualTo(-1);
            }
        }
    }
}
