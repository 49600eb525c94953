package io.junction.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 backend on loopback (the JDK's HttpServer) for the {@code http} proxy tests:
 * <ul>
 *   <li>{@code /echo...}: answers {@code name} on the first line, then the request's method, target
 *       and headers, one per line ({@code name: value}, names lower case);</li>
 *   <li>{@code /sha}: reads the whole body and answers its length and SHA-256;</li>
 *   <li>{@code /bytes?n=N}: streams N bytes (chunked);</li>
 *   <li>{@code /sleep?ms=N}: waits, then answers;</li>
 *   <li>{@code /status?code=N}: answers that status.</li>
 * </ul>
 * Counts requests and the distinct client connections they came on.
 */
final class HttpBackend implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

    HttpBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(Net.LOOPBACK, 0), 100);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String endpoint() {
        return Net.LOOPBACK + ":" + port();
    }

    int requests() {
        return requests.get();
    }

    int connections() {
        return connections.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        connections.add(exchange.getRemoteAddress());
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            exchange.getResponseHeaders().add("X-Backend", name);
            switch (path) {
                case "/sha" -> {
                    MessageDigest digest = sha256();
                    long length = 0;
                    try (InputStream in = exchange.getRequestBody()) {
                        byte[] buffer = new byte[64 * 1024];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            digest.update(buffer, 0, n);
                            length += n;
                        }
                    }
                    send(exchange, 200, length + " " + HexFormat.of().formatHex(digest.digest()) + "\n");
                }
                case "/bytes" -> {
                    long n = Long.parseLong(param(query, "n"));
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        byte[] chunk = new byte[64 * 1024];
                        for (long sent = 0; sent < n; sent += chunk.length) {
                            out.write(chunk, 0, (int) Math.min(chunk.length, n - sent));
                        }
                    }
                }
                case "/sleep" -> {
                    try {
                        Thread.sleep(Long.parseLong(param(query, "ms")));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(exchange, 200, name + "\n");
                }
                case "/status" -> send(exchange, Integer.parseInt(param(query, "code")), name + "\n");
                default -> {
                    exchange.getRequestBody().readAllBytes();
                    StringBuilder text = new StringBuilder(name).append('\n');
                    text.append(exchange.getRequestMethod()).append(' ').append(exchange.getRequestURI()).append('\n');
                    new TreeMap<>(exchange.getRequestHeaders()).forEach((header, values) ->
                            values.forEach(value -> text.append(header.toLowerCase()).append(": ").append(value).append('\n')));
                    send(exchange, 200, text.toString());
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean noBody = status == 204 || status == 304 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
        if (!noBody) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static String param(String query, String key) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + key + " in " + query);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
