package io.junction.runtime.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransportTest {

    private Transport transport;

    @BeforeEach
    void start() {
        assumeTrue(Epoll.isAvailable(), "epoll is Linux-only");
        transport = Transport.start(1, true);
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    /** Whether the kernel lists a socket with that local port in /proc/net/tcp (IPv4) or tcp6 (IPv6, mapped included). */
    private static boolean listed(String table, int localPort) throws IOException {
        String port = String.format(Locale.ROOT, ":%04X ", localPort);
        return Files.readAllLines(Path.of("/proc/net/" + table)).stream().skip(1)
                .anyMatch(line -> line.trim().split("\\s+")[1].endsWith(port.trim()));
    }

    @Test
    void listenersAndConnectionsOnIpv4AddressesAreIpv4Sockets() throws Exception {
        Channel listener = new ServerBootstrap().group(transport.group())
                .channelFactory(transport.serverChannelFactory(new InetSocketAddress("127.0.0.1", 0)))
                .childHandler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            assertThat(listed("tcp", port)).as("IPv4 table").isTrue();
            assertThat(listed("tcp6", port)).as("IPv6 table").isFalse();
            InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
            Channel client = new Bootstrap().group(transport.group()).channelFactory(transport.socketChannelFactory(remote))
                    .handler(new ChannelInboundHandlerAdapter()).connect(remote).sync().channel();
            try {
                int clientPort = ((InetSocketAddress) client.localAddress()).getPort();
                assertThat(listed("tcp", clientPort)).isTrue();
                assertThat(listed("tcp6", clientPort)).isFalse();
            } finally {
                client.close().sync();
            }
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void otherAddressesKeepTheTransportsOwnSockets() throws Exception {
        // A name not yet resolved, or an IPv6 address, gets the plain channel class (an IPv6 socket where IPv6 is on).
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 1);
        Channel plain = transport.socketChannelFactory(unresolved).newChannel();
        try {
            assertThat(plain.getClass()).isEqualTo(transport.socketChannelType());
        } finally {
            plain.unsafe().closeForcibly();
        }
        Channel any = new ServerBootstrap().group(transport.group())
                .channelFactory(transport.serverChannelFactory(new InetSocketAddress(0)))
                .childHandler(new ChannelInboundHandlerAdapter()).bind(0).sync().channel();
        try {
            int port = ((InetSocketAddress) any.localAddress()).getPort();
            // the wildcard is :: where the host has IPv6 (a dual-stack socket), 0.0.0.0 where it has not
            boolean ipv6 = new InetSocketAddress(0).getAddress() instanceof java.net.Inet6Address;
            assertThat(listed("tcp6", port)).as("IPv6 table").isEqualTo(ipv6);
            assertThat(listed("tcp", port)).as("IPv4 table").isEqualTo(!ipv6);
        } finally {
            any.close().sync();
        }
    }
}
