package io.junction.plugin.discoverydns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.junction.api.discovery.DiscoveredEndpoint;
import io.junction.api.runtime.EventLoops;
import io.junction.plugin.discoverydns.DnsDiscoveryConfig.IpVersions;
import io.junction.plugin.discoverydns.TestDnsServer.Mode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the discovery against a real DNS server on 127.0.0.1, one-second intervals. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DnsDiscoveryTest {

    private static final String NAME = "backend.test";
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(8);

    private static EventLoopGroup group;

    private ScheduledExecutorService scheduler;
    private TestDnsServer server;
    private DnsDiscovery discovery;
    private final Updates updates = new Updates();

    @BeforeAll
    static void startEventLoops() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stopEventLoops() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startServer() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-scheduler"));
        server = new TestDnsServer(group, NAME);
        updates.lookups = server::lookups;
    }

    @AfterEach
    void stopEverything() {
        if (discovery != null) {
            discovery.close();
        }
        server.close();
        scheduler.shutdownNow();
    }

    @Test
    void everyAAndAaaaRecordIsPublishedOnStartInOrder() throws Exception {
        server.answer(ip("127.0.0.3"), ip("::1"), ip("127.0.0.1"));

        start(config(IpVersions.both));

        await().atMost(WAIT).until(() -> updates.sets.size() == 1);
        assertThat(updates.sets.get(0)).containsExactly(
                endpoint("127.0.0.1", "127.0.0.1"),
                endpoint("127.0.0.3", "127.0.0.3"),
                endpoint("::1", "::1"));
        assertThat(updates.threads).as("updates arrive on the injected scheduler").containsOnly("test-scheduler");
    }

    @Test
    void ipv4OnlyUsesTheARecordsAlone() throws Exception {
        server.answer(ip("127.0.0.1"), ip("::1"));

        start(config(IpVersions.ipv4));

        await().atMost(WAIT).until(() -> updates.sets.size() == 1);
        assertThat(updates.sets.get(0)).containsExactly(endpoint("127.0.0.1", "127.0.0.1"));
        assertThat(server.aaaaQueries()).isZero();
    }

    @Test
    void ipv6OnlyUsesTheAaaaRecordsAlone() throws Exception {
        server.answer(ip("127.0.0.1"), ip("::1"));

        start(config(IpVersions.ipv6));

        await().atMost(WAIT).until(() -> updates.sets.size() == 1);
        assertThat(updates.sets.get(0)).containsExactly(endpoint("::1", "::1"));
    }

    @Test
    void changedRecordsArePublishedWithinACoupleOfIntervals() throws Exception {
        server.answer(ip("127.0.0.1"), ip("127.0.0.2"));
        start(config(IpVersions.both));
        await().atMost(WAIT).until(() -> updates.sets.size() == 1);

        server.answer(ip("127.0.0.2"), ip("127.0.0.4"), ip("::1"));
        int lookupsAtChange = server.lookups();
        List<DiscoveredEndpoint> changed = List.of(
                endpoint("127.0.0.2", "127.0.0.2"),
                endpoint("127.0.0.4", "127.0.0.4"),
                endpoint("::1", "::1"));

        // "A couple of intervals" counted in lookups, not in wall-clock time: the first lookup to start after the change
        // sees the new records (lookupsAtChange + 1); one more is allowed for a query the resolver sent again.
        await().atMost(WAIT).until(() -> updates.sets.contains(changed));
        int published = updates.sets.indexOf(changed);
        // a lookup under way at the change may have read A records from before it and AAAA records from after it
        assertThat(published).as("sets published before the new one: the first, at most one mixed").isBetween(1, 2);
        assertThat(updates.lookupsAt.get(published)).as("lookups when the new set was published; %d when the records changed",
                lookupsAtChange).isLessThanOrEqualTo(lookupsAtChange + 2);
    }

    @Test
    void unchangedRecordsAreNotPublishedAgain() throws Exception {
        server.answer(ip("127.0.0.1"), ip("::1"));
        start(config(IpVersions.both));
        await().atMost(WAIT).until(() -> updates.sets.size() == 1);
        int lookups = server.lookups();

        await().atMost(WAIT).until(() -> server.lookups() >= lookups + 3);

        assertThat(updates.sets).as("every lookup asks the server (no cache), none publishes the same set again").hasSize(1);
    }

    @Test
    void whenTheServerStopsAnsweringTheLastSetIsKeptUntilItAnswersAgain() throws Exception {
        server.answer(ip("127.0.0.1"));
        start(config(IpVersions.ipv4));
        await().atMost(WAIT).until(() -> updates.sets.size() == 1);

        server.mode(Mode.SILENT);
        int lookups = server.lookups();
        await().atMost(WAIT).until(() -> server.lookups() >= lookups + 3);
        assertThat(updates.sets).as("no empty set on timeouts").hasSize(1);

        server.answer(ip("127.0.0.2"));
        await().atMost(WAIT).until(() -> updates.sets.size() == 2);
        assertThat(updates.sets.get(1)).containsExactly(endpoint("127.0.0.2", "127.0.0.2"));
    }

    @Test
    void nxdomainPublishesNothing() throws Exception {
        server.mode(Mode.NXDOMAIN);

        start(config(IpVersions.both));

        await().atMost(WAIT).until(() -> server.lookups() >= 3);
        assertThat(updates.sets).isEmpty();
    }

    @Test
    void nxdomainAfterASetKeepsIt() throws Exception {
        server.answer(ip("127.0.0.1"));
        start(config(IpVersions.both));
        await().atMost(WAIT).until(() -> updates.sets.size() == 1);

        server.mode(Mode.NXDOMAIN);
        int lookups = server.lookups();
        await().atMost(WAIT).until(() -> server.lookups() >= lookups + 3);

        assertThat(updates.sets).hasSize(1);
    }

    @Test
    void anAuthoritativeAnswerWithNoRecordsIsAFailureNotAnEmptySet() throws Exception {
        server.answer(ip("127.0.0.1"));
        start(config(IpVersions.both));
        await().atMost(WAIT).until(() -> updates.sets.size() == 1);

        server.answer();
        int lookups = server.lookups();
        await().atMost(WAIT).until(() -> server.lookups() >= lookups + 3);

        assertThat(updates.sets).hasSize(1);
    }

    @Test
    void closeStopsLookupsAndUpdates() throws Exception {
        server.answer(ip("127.0.0.1"));
        start(config(IpVersions.ipv4));
        await().atMost(WAIT).until(() -> updates.sets.size() == 1);

        discovery.close();
        int lookups = server.lookups();
        server.answer(ip("127.0.0.2"));
        Thread.sleep(INTERVAL.toMillis() * 3);

        assertThat(updates.sets).hasSize(1);
        assertThat(server.lookups()).isLessThanOrEqualTo(lookups + 1);
    }

    @Test
    void closeBeforeStartAndTwiceIsHarmlessAndAStartAfterCloseDoesNothing() throws Exception {
        server.answer(ip("127.0.0.1"));
        discovery = new DnsDiscovery(config(IpVersions.both), new NioEventLoops(group), scheduler);

        discovery.close();
        discovery.close();
        discovery.start(updates);
        Thread.sleep(INTERVAL.toMillis() * 2);

        assertThat(updates.sets).isEmpty();
        assertThat(server.lookups()).isZero();
    }

    @Test
    void startingTwiceIsRefused() throws Exception {
        server.answer(ip("127.0.0.1"));
        start(config(IpVersions.both));

        assertThatIllegalStateException().isThrownBy(() -> discovery.start(updates)).withMessageContaining(NAME);
    }

    @Test
    void resolvesOnEpollEventLoops() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        EventLoopGroup epoll = new EpollEventLoopGroup(1);
        try {
            server.answer(ip("127.0.0.1"), ip("::1"));
            discovery = new DnsDiscovery(config(IpVersions.both), new EpollEventLoops(epoll), scheduler);
            discovery.start(updates);

            await().atMost(WAIT).until(() -> updates.sets.size() == 1);
            assertThat(updates.sets.get(0)).containsExactly(endpoint("127.0.0.1", "127.0.0.1"), endpoint("::1", "::1"));
        } finally {
            discovery.close();
            epoll.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theExtensionDescribesTheDiscovery() {
        DnsDiscoveryExtension extension = new DnsDiscoveryExtension();

        assertThat(extension.type()).isEqualTo("dns");
        assertThat(extension.configType()).isEqualTo(DnsDiscoveryConfig.class);
        assertThat(extension.implementation()).isEqualTo(DnsDiscovery.class);
        assertThat(extension.description()).isNotBlank();
    }

    private DnsDiscoveryConfig config(IpVersions versions) {
        return new DnsDiscoveryConfig(NAME, 8080, 7, INTERVAL, Duration.ofMillis(300), versions, List.of(server.nameserver()));
    }

    private void start(DnsDiscoveryConfig config) {
        discovery = new DnsDiscovery(config, new NioEventLoops(group), scheduler);
        discovery.start(updates);
    }

    private static DiscoveredEndpoint endpoint(String idAddress, String address) throws UnknownHostException {
        return new DiscoveredEndpoint(NAME + ":8080/" + idAddress, new InetSocketAddress(ip(address), 8080), 7);
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** Every published set, the thread it came on and how many lookups the server had seen by then. */
    private static final class Updates implements Consumer<List<DiscoveredEndpoint>> {
        final List<List<DiscoveredEndpoint>> sets = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Integer> lookupsAt = new CopyOnWriteArrayList<>();
        volatile IntSupplier lookups = () -> -1;

        @Override
        public void accept(List<DiscoveredEndpoint> endpoints) {
            threads.add(Thread.currentThread().getName());
            lookupsAt.add(lookups.getAsInt());
            sets.add(endpoints);
        }
    }

    private record EpollEventLoops(EventLoopGroup group) implements EventLoops {
        @Override
        public Class<? extends SocketChannel> socketChannelType() {
            return EpollSocketChannel.class;
        }

        @Override
        public String transport() {
            return "epoll";
        }
    }
}
