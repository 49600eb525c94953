package io.junction.plugin.access;

import io.junction.api.filter.ConnectionFilter;
import io.junction.api.protocol.ConnectionAddresses;
import io.netty.channel.Channel;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Refuses connections from addresses outside the allow list or inside the deny list. The address
 * is the client's as {@link ConnectionAddresses} knows it, so behind a load balancer that sends the
 * PROXY protocol it is the real client's. Refused connections are counted by the runtime
 * ({@code junction_pipeline_connections_refused_total}).
 */
public final class IpAccessFilter implements ConnectionFilter {

    private final List<Cidr> allow;
    private final List<Cidr> deny;

    @Inject
    public IpAccessFilter(IpAccessConfig config) {
        this.allow = config.allow().stream().map(range -> Cidr.parse("allow", range)).toList();
        this.deny = config.deny().stream().map(range -> Cidr.parse("deny", range)).toList();
    }

    @Override
    public boolean accept(Channel channel) {
        InetSocketAddress client = ConnectionAddresses.of(channel).client();
        if (client == null) {
            return false;
        }
        for (Cidr range : deny) {
            if (range.contains(client)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (Cidr range : allow) {
            if (range.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
