package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's promise: build, run on the bundled config, and {@code curl localhost:8080}. */
@Timeout(120)
class DemoConfigIT {

    @TempDir
    Path work;

    @Test
    void bundledConfigBalancesOverTheTwoDemoBackendsAndServesTheAdminEndpoint() throws Exception {
        try (JunctionProcess junction = JunctionProcess.startReady(work)) {
            String out = junction.output();
            assertThat(out).contains("pipeline front listening on /127.0.0.1:8080 protocol http to [demo-backends]")
                    .contains("pipeline backend-1 listening on /127.0.0.1:8081 protocol respond")
                    .contains("plugins loaded: access 0.1.0-SNAPSHOT, balancers 0.1.0-SNAPSHOT, discovery-dns 0.1.0-SNAPSHOT, healthchecks 0.1.0-SNAPSHOT, "
                            + "http 0.1.0-SNAPSHOT, respond 0.1.0-SNAPSHOT, tcp 0.1.0-SNAPSHOT")
                    .containsPattern("Junction ready in \\d+ ms");

            // Round-robin per request: the requests of one client connection alternate between the backends.
            List<String> backends = new ArrayList<>();
            try (Socket socket = Net.connect(8080)) {
                for (int i = 0; i < 6; i++) {
                    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String response = Net.readResponse(socket.getInputStream());
                    assertThat(response).startsWith("HTTP/1.1 200 OK").contains("answered by Junction's respond plugin");
                    backends.add(response.contains("X-Backend: backend-1") ? "1" : "2");
                }
            }
            for (int i = 1; i < backends.size(); i++) {
                assertThat(backends.get(i)).as("request %d after %s", i, backends).isNotEqualTo(backends.get(i - 1));
            }

            HttpResponse<String> ready = Net.get(9901, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");

            HttpResponse<String> config = Net.get(9901, "/config");
            assertThat(config.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(config.body()).contains("\"demo-backends\"").contains("\"127.0.0.1:8080\"")
                    .as("defaults are filled in").contains("\"connectAttempts\" : 3").contains("\"healthyThreshold\" : 2")
                    .contains("\"maxHeaderSize\" : \"16KB\"");

            HttpResponse<String> plugins = Net.get(9901, "/plugins");
            assertThat(plugins.body()).contains("\"module\" : \"io.junction.plugin.http\"").contains("\"type\" : \"round-robin\"")
                    .contains("\"errors\" : [ ]");

            HttpResponse<String> metrics = Net.get(9901, "/metrics");
            assertThat(metrics.body())
                    .contains("junction_pipeline_connections_total{pipeline=\"front\"} 1.0")
                    .contains("junction_http_requests_total{pipeline=\"front\",route=\"routes[0]\",status=\"2xx\",upstream=\"demo-backends\"} 6.0")
                    .containsPattern("junction_pipeline_received_bytes_total\\{pipeline=\"front\"} [1-9]")
                    .containsPattern("junction_pipeline_sent_bytes_total\\{pipeline=\"front\"} [1-9]")
                    .containsPattern("junction_upstream_endpoint_connections_total\\{endpoint=\"127.0.0.1:8081\",upstream=\"demo-backends\"} [1-9]")
                    .contains("junction_upstream_endpoint_connections_active{endpoint=\"127.0.0.1:8082\",upstream=\"demo-backends\"}");

            assertThat(Net.get(9901, "/nope").statusCode()).isEqualTo(404);

            assertThat(junction.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
            assertThat(junction.output()).contains("draining").contains("stopped");
        }
    }

}
