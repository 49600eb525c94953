package io.junction.plugin.healthchecks;

import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** What the health check tests share: endpoints on loopback, NIO event loops, a hand-rolled backend. */
final class ProbeFixtures {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ProbeFixtures() {
    }

    static Endpoint endpoint(InetSocketAddress address) {
        return new TestEndpoint(address);
    }

    /** An address on loopback where nothing listens (it did a moment ago). */
    static InetSocketAddress deadAddress() throws IOException {
        try (ServerSocket closed = new ServerSocket(0, 1, LOOPBACK)) {
            return (InetSocketAddress) closed.getLocalSocketAddress();
        }
    }

    /** Reads an HTTP/1.1 request head (up to the empty line) and returns it. */
    static String readRequestHead(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A backend that hands each accepted connection to {@code handler} on its own thread. */
    static final class RawBackend implements AutoCloseable {
        interface ConnectionHandler {
            void handle(Socket socket) throws Exception;
        }

        private final ServerSocket server;
        private final Thread acceptor;

        RawBackend(ConnectionHandler handler) throws IOException {
            server = new ServerSocket(0, 50, LOOPBACK);
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread worker = new Thread(() -> {
                            try (socket) {
                                handler.handle(socket);
                            } catch (Exception ignored) {
                                // the probe may close first
                            }
                        }, "raw-backend-connection");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "raw-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    record TestEndpoint(InetSocketAddress address) implements Endpoint {
        @Override
        public String id() {
            return address.getHostString() + ":" + address.getPort();
        }

        @Override
        public int weight() {
            return 1;
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public int activeConnections() {
            return 0;
        }

        @Override
        public void track(Channel connection) {
            throw new UnsupportedOperationException("a health check does not track its probes");
        }

        @Override
        public void connectFailed(Throwable cause) {
            throw new UnsupportedOperationException("a health check reports through its result");
        }
    }

    record NioEventLoops(EventLoopGroup group) implements EventLoops {
        @Override
        public Class<? extends SocketChannel> socketChannelType() {
            return NioSocketChannel.class;
        }

        @Override
        public String transport() {
            return "nio";
        }
    }
}
