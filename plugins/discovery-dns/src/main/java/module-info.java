/** Junction's DNS endpoint discovery: dns. */
module io.junction.plugin.discoverydns {
    requires io.junction.api;
    requires io.netty.resolver;
    requires io.netty.resolver.dns;
    requires io.netty.transport.classes.epoll;
    requires org.slf4j;

    provides io.junction.api.discovery.DiscoveryExtension with io.junction.plugin.discoverydns.DnsDiscoveryExtension;
}
