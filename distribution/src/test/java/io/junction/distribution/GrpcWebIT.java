package io.junction.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * gRPC-Web as a browser sends it (HTTP/1.1, {@code application/grpc-web+proto}, length-prefixed messages),
 * translated by Junction to gRPC for a grpc-java backend over h2c, and the answer translated back: the
 * messages, then the trailers as the body's last frame.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class GrpcWebIT {

    private Path work;
    private GrpcBackend backend;
    private JunctionProcess junction;
    private int front;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One frame of a gRPC(-Web) body. */
    record Frame(int flags, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("grpc-web-it");
        backend = new GrpcBackend("w1", false);
        front = Net.freePort();
        junction = JunctionProcess.startReady(work, "-c", Configs.write(work, "grpc-web.json", """
                { "admin": { "listen": "127.0.0.1:%d" },
                  "pipelines": [ { "name": "web", "listen": "127.0.0.1:%d", "protocol": { "type": "http" },
                    "routes": [ { "match": { "grpcService": "test.Echo" }, "upstream": "echo" } ] } ],
                  "upstreams": [ { "name": "echo", "httpProtocol": "h2", "endpoints": [ "%s" ] } ] }
                """.formatted(Net.freePort(), front, backend.endpoint())).toString());
    }

    @AfterAll
    void stop() throws Exception {
        if (junction != null) {
            junction.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private HttpResponse<byte[]> call(String method, String message) throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        out.writeByte(0);
        out.writeInt(bytes.length);
        out.write(bytes);
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/test.Echo/" + method))
                .header("content-type", "application/grpc-web+proto").header("x-grpc-web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<Frame> frames(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        List<Frame> frames = new ArrayList<>();
        while (in.remaining() >= 5) {
            int flags = in.get() & 0xFF;
            byte[] data = new byte[in.getInt()];
            in.get(data);
            frames.add(new Frame(flags, data));
        }
        assertThat(in.remaining()).as("no bytes after the last whole frame").isZero();
        return frames;
    }

    @Test
    void aUnaryCallComesBackAsMessagesThenATrailerFrame() throws Exception {
        HttpResponse<byte[]> response = call("Say", "hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/grpc-web+proto");
        List<Frame> frames = frames(response.body());
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).flags()).isZero();
        assertThat(frames.get(0).text()).isEqualTo("w1:hello");
        assertThat(frames.get(1).flags()).isEqualTo(0x80);
        assertThat(frames.get(1).text()).contains("grpc-status:0\r\n");
    }

    @Test
    void aServerStreamKeepsEveryMessageAndItsStatus() throws Exception {
        HttpResponse<byte[]> response = call("Stream", "3,10");
        List<Frame> frames = frames(response.body());
        assertThat(frames).hasSize(4);
        assertThat(frames.subList(0, 3)).allSatisfy(frame -> assertThat(frame.flags()).isZero());
        assertThat(frames.get(3).flags()).isEqualTo(0x80);
        assertThat(frames.get(3).text()).contains("grpc-status:0");
    }

    @Test
    void aBackendErrorKeepsItsStatusMessageAndTrailers() throws Exception {
        HttpResponse<byte[]> response = call("Fail", "nothing here");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/grpc-web+proto");
        // grpc-java answers an error without messages trailers-only: the status is in the head, as gRPC-Web allows
        String status = response.headers().firstValue("grpc-status")
                .orElseGet(() -> frames(response.body()).get(0).text().replaceAll("(?s).*grpc-status:(\\d+).*", "$1"));
        assertThat(status).isEqualTo("5"); // NOT_FOUND
    }

    @Test
    void junctionsOwnErrorsAreGrpcWebToo() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/test.Nowhere/Say"))
                .header("content-type", "application/grpc-web+proto").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5])).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/grpc-web+proto");
        assertThat(response.headers().firstValue("grpc-status")).hasValue("12"); // UNIMPLEMENTED: no route
        assertThat(response.headers().firstValue("x-junction-error")).hasValue("no-route");
    }
}
