package io.junction.distribution;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/2 client that writes frames by hand (RFC 9113 4, HPACK literals without Huffman coding), for
 * what well-behaved clients never send: floods, resets, malformed header blocks. Reads frames back
 * without decoding header blocks, which tests check by their first byte (an indexed static-table status).
 */
final class RawHttp2 implements AutoCloseable {

    static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7,
            WINDOW_UPDATE = 0x8, CONTINUATION = 0x9;
    static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;
    static final int NO_ERROR = 0x0, PROTOCOL_ERROR = 0x1, ENHANCE_YOUR_CALM = 0xb;

    record Frame(int type, int flags, int stream, byte[] payload) {
        int errorCode() { // RST_STREAM: the code; GOAWAY: after last-stream-id
            int at = type == GOAWAY ? 4 : 0;
            return (payload[at] & 0xFF) << 24 | (payload[at + 1] & 0xFF) << 16 | (payload[at + 2] & 0xFF) << 8 | (payload[at + 3] & 0xFF);
        }

        /** SETTINGS: the value of {@code id}, or -1. */
        long setting(int id) {
            for (int i = 0; i + 6 <= payload.length; i += 6) {
                int key = (payload[i] & 0xFF) << 8 | (payload[i + 1] & 0xFF);
                if (key == id) {
                    return (payload[i + 2] & 0xFFL) << 24 | (payload[i + 3] & 0xFF) << 16 | (payload[i + 4] & 0xFF) << 8 | (payload[i + 5] & 0xFF);
                }
            }
            return -1;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawHttp2(int port) throws IOException {
        socket = Net.connect(port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
        out.flush();
    }

    /** A header block of literal fields (without indexing, no Huffman), in order. */
    static byte[] block(String... namesAndValues) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            block.write(0x00);
            string(block, namesAndValues[i]);
            string(block, namesAndValues[i + 1]);
        }
        return block.toByteArray();
    }

    /** The usual request block for GET {@code path} plus {@code extra} fields. */
    static byte[] get(String path, String... extra) {
        String[] fields = new String[8 + extra.length];
        String[] pseudo = {":method", "GET", ":scheme", "http", ":path", path, ":authority", "localhost"};
        System.arraycopy(pseudo, 0, fields, 0, 8);
        System.arraycopy(extra, 0, fields, 8, extra.length);
        return block(fields);
    }

    private static void string(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else { // 7-bit prefix integer (RFC 7541 5.1)
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write(length % 128 + 128);
                length /= 128;
            }
            block.write(length);
        }
        block.writeBytes(bytes);
    }

    RawHttp2 frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type, (byte) flags,
            (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(header);
        out.write(payload);
        return this;
    }

    RawHttp2 headers(int stream, byte[] block, boolean endStream) throws IOException {
        return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block);
    }

    RawHttp2 rst(int stream, int code) throws IOException {
        return frame(RST_STREAM, 0, stream, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code});
    }

    RawHttp2 ping(long data) throws IOException {
        byte[] payload = new byte[8];
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (data >>> (56 - 8 * i));
        }
        return frame(PING, 0, 0, payload);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The next frame, or null when the server closed the connection. */
    Frame read() throws IOException {
        byte[] header = new byte[9];
        try {
            in.readFully(header);
        } catch (EOFException | java.net.SocketException closed) {
            return null;
        }
        int length = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | (header[2] & 0xFF);
        byte[] payload = new byte[length];
        in.readFully(payload);
        int stream = (header[5] & 0x7F) << 24 | (header[6] & 0xFF) << 16 | (header[7] & 0xFF) << 8 | (header[8] & 0xFF);
        return new Frame(header[3] & 0xFF, header[4] & 0xFF, stream, payload);
    }

    /** Frames until the server closes the connection or {@code timeoutMillis} pass without one. */
    List<Frame> readUntilClosed(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        List<Frame> frames = new ArrayList<>();
        try {
            for (Frame frame; (frame = read()) != null; ) {
                frames.add(frame);
            }
        } catch (SocketTimeoutException stillOpen) {
            // the caller decides whether that is fine
        }
        return frames;
    }

    /** Reads frames until one of {@code type} (on {@code stream}, unless -1) arrives; null if the connection ends first. */
    Frame await(int type, int stream) throws IOException {
        for (Frame frame; (frame = read()) != null; ) {
            if (frame.type() == type && (stream < 0 || frame.stream() == stream)) {
                return frame;
            }
        }
        return null;
    }

    boolean closedByServer() {
        try {
            socket.setSoTimeout(5000);
            return read() == null || socket.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
