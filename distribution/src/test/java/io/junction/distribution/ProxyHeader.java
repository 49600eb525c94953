package io.junction.distribution;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A PROXY protocol header (v1 text or v2 binary, TCP over IPv4) as a backend receives it, parsed by hand. */
record ProxyHeader(String source, int sourcePort, String destination, int destinationPort) {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    static ProxyHeader read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] start = in.readNBytes(12);
        if (Arrays.equals(start, V2_SIGNATURE)) {
            int versionCommand = in.readUnsignedByte();
            int family = in.readUnsignedByte();
            int length = in.readUnsignedShort();
            if (versionCommand != 0x21 || family != 0x11 || length < 12) {
                throw new IOException("unexpected v2 header: " + versionCommand + " " + family + " " + length);
            }
            byte[] addresses = in.readNBytes(length);
            ByteBuffer b = ByteBuffer.wrap(addresses);
            byte[] src = new byte[4];
            byte[] dst = new byte[4];
            b.get(src).get(dst);
            return new ProxyHeader(InetAddress.getByAddress(src).getHostAddress(), b.getShort() & 0xFFFF,
                    InetAddress.getByAddress(dst).getHostAddress(), b.getShort() & 0xFFFF);
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(start);
        while (!line.toString(StandardCharsets.US_ASCII).endsWith("\r\n")) {
            int c = in.read();
            if (c < 0 || line.size() > 107) {
                throw new IOException("no PROXY v1 line: " + line.toString(StandardCharsets.US_ASCII));
            }
            line.write(c);
        }
        String[] parts = line.toString(StandardCharsets.US_ASCII).trim().split(" ");
        if (parts.length != 6 || !parts[0].equals("PROXY") || !parts[1].equals("TCP4")) {
            throw new IOException("unexpected v1 line: " + line.toString(StandardCharsets.US_ASCII));
        }
        return new ProxyHeader(parts[2], Integer.parseInt(parts[4]), parts[3], Integer.parseInt(parts[5]));
    }

    /** A v2 PROXY header for TCP over IPv4, as a load balancer in front would send it. */
    static byte[] v2(String source, int sourcePort, String destination, int destinationPort) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress());
        b.putShort((short) sourcePort).putShort((short) destinationPort);
        return b.array();
    }
}
