package io.junction.plugin.discoverydns;

import io.junction.api.runtime.EventLoops;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.util.List;

/** Builds the Netty resolver a {@link DnsDiscovery} asks: no caches, no hosts file, the runtime's transport. */
final class DnsResolvers {

    private DnsResolvers() {
    }

    static DnsNameResolver create(DnsDiscoveryConfig config, EventLoops eventLoops, EventLoop loop) {
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
                .datagramChannelType(datagramChannelType(eventLoops))
                // TCP for answers too large for a datagram (many records): the transport's own socket type.
                .socketChannelType(eventLoops.socketChannelType())
                // Every lookup asks a server: a change must show within one interval, whatever the TTLs say.
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                // /etc/hosts never changes the answer of a discovery that claims to follow DNS.
                .hostsFileEntriesResolver((host, types) -> null)
                .queryTimeoutMillis(config.timeout().toMillis())
                .resolvedAddressTypes(addressTypes(config.ipVersions()))
                .completeOncePreferredResolved(false)
                .recursionDesired(true);
        if (!config.nameservers().isEmpty()) {
            List<InetSocketAddress> servers = Nameservers.parseAll(config.nameservers());
            builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers));
        }
        return builder.build();
    }

    private static Class<? extends DatagramChannel> datagramChannelType(EventLoops eventLoops) {
        // A channel registers only with loops of its own transport.
        return "epoll".equals(eventLoops.transport()) ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    private static ResolvedAddressTypes addressTypes(DnsDiscoveryConfig.IpVersions versions) {
        return switch (versions) {
            case ipv4 -> ResolvedAddressTypes.IPV4_ONLY;
            case ipv6 -> ResolvedAddressTypes.IPV6_ONLY;
            case both -> ResolvedAddressTypes.IPV4_PREFERRED;
        };
    }
}
