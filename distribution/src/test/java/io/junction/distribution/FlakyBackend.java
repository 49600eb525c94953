package io.junction.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend whose behaviour a test changes while it runs: it answers every request with
 * {@link #status(int)} after {@link #delayMillis(int)}, {@code /health} with {@link #healthStatus(int)},
 * and can be stopped (connections cut, port closed) and started again on the same port. Each
 * answer names the backend ({@code X-Backend} and the body); POST bodies are echoed after it.
 */
final class FlakyBackend implements AutoCloseable {

    private final String name;
    private final int port;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private volatile int status = 200;
    private volatile int healthStatus = 200;
    private volatile int delayMillis;
    private ExecutorService executor;
    private HttpServer server;

    FlakyBackend(String name) throws IOException {
        this.name = name;
        this.port = Net.freePort();
        start();
    }

    synchronized void start() throws IOException {
        executor = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(Net.LOOPBACK, port), 100);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Stops listening and cuts every connection, like a killed process. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    String endpoint() {
        return Net.LOOPBACK + ":" + port;
    }

    FlakyBackend status(int status) {
        this.status = status;
        return this;
    }

    FlakyBackend healthStatus(int status) {
        this.healthStatus = status;
        return this;
    }

    FlakyBackend delayMillis(int millis) {
        this.delayMillis = millis;
        return this;
    }

    int requests() {
        return requests.get();
    }

    int healthChecks() {
        return healthChecks.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/health")) {
                healthChecks.incrementAndGet();
                send(exchange, healthStatus, name + " health\n");
                return;
            }
            requests.incrementAndGet();
            int delay = delayMillis;
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            send(exchange, status, name + "\n" + new String(body, StandardCharsets.UTF_8));
        }
    }

    private void send(HttpExchange exchange, int code, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Backend", name);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
