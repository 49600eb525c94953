package io.junction.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real TLS server on 127.0.0.1 with a self-signed certificate made by the JDK's keytool: after
 * the handshake it writes its name and the server name the client asked for, then closes.
 */
final class TlsBackend implements AutoCloseable {

    private final String name;
    private final SSLServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger accepted = new AtomicInteger();
    private final KeyStore keyStore;

    TlsBackend(String name, Path dir) throws Exception {
        this.name = name;
        this.keyStore = selfSigned(dir, name);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName(Net.LOOPBACK));
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    /** A client context trusting this backend's certificate only. */
    SSLContext clientContext() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                threads.execute(() -> serve((SSLSocket) socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            String sni = ((javax.net.ssl.ExtendedSSLSession) socket.getSession()).getRequestedServerNames().stream()
                    .filter(n -> n instanceof javax.net.ssl.SNIHostName).map(n -> ((javax.net.ssl.SNIHostName) n).getAsciiName())
                    .findFirst().orElse("none");
            OutputStream out = socket.getOutputStream();
            out.write((name + " sni=" + sni + "\n").getBytes());
            out.flush();
            InputStream in = socket.getInputStream();
            in.read(); // wait for the client to finish
        } catch (IOException ignored) {
            // a client that sent no TLS, or went away
        }
    }

    private static KeyStore selfSigned(Path dir, String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(p.getInputStream().readAllBytes()));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
