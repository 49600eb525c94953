package io.junction.plugin.healthchecks;

import static io.junction.plugin.healthchecks.ProbeFixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.junction.api.health.HealthCheckResult;
import io.junction.plugin.healthchecks.ProbeFixtures.NioEventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Probes real sockets on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpHealthCheckTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static EventLoopGroup group;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startEventLoops() {
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stopEventLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeEverything() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void aListeningEndpointPassesAndTheProbeConnectionIsClosed() throws Exception {
        ServerSocket server = listen(50);
        TcpHealthCheck check = new TcpHealthCheck(new NioEventLoops(group));

        HealthCheckResult result = check.check(endpoint((InetSocketAddress) server.getLocalSocketAddress()), Duration.ofSeconds(2))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result.healthy()).isTrue();
        assertThat(result.detail()).isEqualTo("connected");
        server.setSoTimeout(5_000);
        try (Socket probe = server.accept()) {
            probe.setSoTimeout(5_000);
            assertThat(probe.getInputStream().read()).as("the probe closes its connection").isEqualTo(-1);
        }
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        InetSocketAddress dead;
        try (ServerSocket closed = new ServerSocket(0, 1, LOOPBACK)) {
            dead = (InetSocketAddress) closed.getLocalSocketAddress();
        }
        TcpHealthCheck check = new TcpHealthCheck(new NioEventLoops(group));

        HealthCheckResult result = check.check(endpoint(dead), Duration.ofSeconds(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).startsWith("connect failed: ");
    }

    @Test
    void aConnectThatDoesNotCompleteFailsWithinTheTimeout() throws Exception {
        // A listener whose accept queue is full: Linux drops further SYNs, so a connect hangs.
        ServerSocket server = listen(1);
        InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
        boolean full = false;
        for (int i = 0; i < 16 && !full; i++) {
            Socket filler = new Socket();
            closeables.add(filler);
            try {
                filler.connect(address, 200);
            } catch (SocketTimeoutException e) {
                full = true;
            }
        }
        assumeTrue(full, "could not fill the accept queue on this system");
        TcpHealthCheck check = new TcpHealthCheck(new NioEventLoops(group));

        long start = System.nanoTime();
        HealthCheckResult result = check.check(endpoint(address), Duration.ofMillis(300)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).startsWith("connect failed: ");
        assertThat(elapsedMs).isBetween(250L, 3_000L);
    }

    @Test
    void theExtensionDescribesTheCheck() {
        TcpHealthCheckExtension extension = new TcpHealthCheckExtension();

        assertThat(extension.type()).isEqualTo("tcp");
        assertThat(extension.configType()).isEqualTo(TcpHealthCheckConfig.class);
        assertThat(extension.implementation()).isEqualTo(TcpHealthCheck.class);
        assertThat(extension.description()).isNotBlank();
    }

    private ServerSocket listen(int backlog) throws IOException {
        ServerSocket server = new ServerSocket(0, backlog, LOOPBACK);
        closeables.add(server);
        return server;
    }
}
