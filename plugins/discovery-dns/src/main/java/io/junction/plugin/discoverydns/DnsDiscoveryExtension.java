package io.junction.plugin.discoverydns;

import io.junction.api.discovery.DiscoveryExtension;
import io.junction.api.discovery.EndpointDiscovery;

/** {@code "dns"}: an upstream's endpoints are the A and AAAA records of a name, looked up again every interval. */
public final class DnsDiscoveryExtension implements DiscoveryExtension<DnsDiscoveryConfig> {

    @Override
    public String type() {
        return "dns";
    }

    @Override
    public Class<DnsDiscoveryConfig> configType() {
        return DnsDiscoveryConfig.class;
    }

    @Override
    public Class<? extends EndpointDiscovery> implementation() {
        return DnsDiscovery.class;
    }

    @Override
    public String description() {
        return "Endpoints from the A and AAAA records of a DNS name, re-resolved on an interval.";
    }
}
