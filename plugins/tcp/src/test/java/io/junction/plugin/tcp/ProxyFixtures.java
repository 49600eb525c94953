package io.junction.plugin.tcp;

import io.junction.api.filter.Filter;
import io.junction.api.protocol.Pipeline;
import io.junction.api.protocol.Route;
import io.junction.api.runtime.EventLoops;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import io.junction.api.upstream.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain implementations of the platform API for driving the tcp handler in tests. */
final class ProxyFixtures {

    private ProxyFixtures() {
    }

    /** An endpoint at a fixed address that records what the handler reports about it. */
    record TestEndpoint(String id, InetSocketAddress address, AtomicInteger active, AtomicInteger tracked,
                        List<Throwable> connectFailures) implements Endpoint {

        static TestEndpoint at(InetSocketAddress address) {
            return new TestEndpoint(address.getHostString() + ":" + address.getPort(), address, new AtomicInteger(),
                    new AtomicInteger(), new CopyOnWriteArrayList<>());
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
            return active.get();
        }

        @Override
        public void track(Channel connection) {
            tracked.incrementAndGet();
            active.incrementAndGet();
            connection.closeFuture().addListener(f -> active.decrementAndGet());
        }

        @Override
        public void connectFailed(Throwable cause) {
            connectFailures.add(cause);
        }
    }

    /** Picks the first endpoint, in order, that the context does not exclude. */
    record TestUpstream(String name, List<Endpoint> endpoints) implements Upstream {

        @Override
        public Optional<Endpoint> pick(PickContext context) {
            return endpoints.stream().filter(e -> !context.isExcluded(e)).findFirst();
        }
    }

    record TestRoute(Upstream upstream) implements Route {
        @Override
        public Optional<Object> match() {
            return Optional.empty();
        }
    }

    record TestPipeline(String name, List<Route> routes) implements Pipeline {

        static TestPipeline to(Upstream upstream) {
            return new TestPipeline("test", List.of(new TestRoute(upstream)));
        }

        @Override
        public List<Filter> exchangeFilters() {
            return List.of();
        }
    }

    record TestEventLoops(EventLoopGroup group) implements EventLoops {
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
