package io.junction.distribution;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal RFC 6455 server on loopback: answers the opening handshake with 101 and echoes each
 * text or binary frame back unmasked, prefixed with its name; answers a close with a close.
 */
final class WebSocketEchoServer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final String name;
    private final ServerSocket server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    WebSocketEchoServer(String name) throws IOException {
        this.name = name;
        this.server = new ServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
        executor.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    executor.execute(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    String endpoint() {
        return Net.LOOPBACK + ":" + server.getLocalPort();
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String key = null;
            for (String line; !(line = readLine(in)).isEmpty(); ) {
                if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                    key = line.substring(18).trim();
                }
            }
            String accept = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = first & 0x0f;
                if (opcode == 8) { // close: answer it and end
                    out.write(new byte[] {(byte) 0x88, 0});
                    out.flush();
                    return;
                }
                byte[] echo = opcode == 1 ? (name + ":" + new String(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8) : payload;
                out.write(0x80 | opcode);
                if (echo.length < 126) {
                    out.write(echo.length);
                } else {
                    out.write(126);
                    out.write(echo.length >> 8);
                    out.write(echo.length & 0xff);
                }
                out.write(echo);
                out.flush();
            }
        } catch (Exception e) {
            // the client went away
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        executor.shutdownNow();
    }
}
