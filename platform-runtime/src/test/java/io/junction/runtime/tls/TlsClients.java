package io.junction.runtime.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** JDK TLS clients on loopback, and a hand-made TLS 1.1 ClientHello that no modern JDK would send. */
final class TlsClients {

    private TlsClients() {
    }

    /** A client context that trusts exactly these certificates. */
    static SSLContext trusting(X509Certificate... certificates) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trusted.setCertificateEntry("c" + i, certificates[i]);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** A handshaken socket on {@code socket} (already connected), sending {@code sni} unless null and offering {@code alpn}. */
    static SSLSocket handshake(SSLContext context, Socket socket, String sni, String... alpn) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        parameters.setApplicationProtocols(alpn);
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A ClientHello record offering TLS 1.1 only (no supported_versions extension), as an old client sends it. */
    static byte[] tls11ClientHello() {
        byte[] suites = {(byte) 0xc0, 0x09, (byte) 0xc0, 0x13, 0x00, 0x2f, 0x00, 0x35}; // ECDHE-ECDSA/RSA, RSA with AES-CBC
        int bodyLength = 2 + 32 + 1 + 2 + suites.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x16); // handshake record
        out.write(0x03);
        out.write(0x01); // record version TLS 1.0, as clients do
        out.write((bodyLength + 4) >> 8);
        out.write(bodyLength + 4);
        out.write(0x01); // ClientHello
        out.write(0);
        out.write(bodyLength >> 8);
        out.write(bodyLength);
        out.write(0x03);
        out.write(0x02); // client_version TLS 1.1
        out.writeBytes(new byte[32]); // random
        out.write(0); // no session id
        out.write(0);
        out.write(suites.length);
        out.writeBytes(suites);
        out.write(1); // compression methods: null
        out.write(0);
        return out.toByteArray();
    }
}
