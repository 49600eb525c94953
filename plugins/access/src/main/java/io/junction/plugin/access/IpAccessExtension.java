package io.junction.plugin.access;

import io.junction.api.filter.Filter;
import io.junction.api.filter.FilterExtension;

/** {@code "ip-access"}: allow and deny lists of client address ranges, for any protocol. */
public final class IpAccessExtension implements FilterExtension<IpAccessConfig> {

    @Override
    public String type() {
        return "ip-access";
    }

    @Override
    public Class<IpAccessConfig> configType() {
        return IpAccessConfig.class;
    }

    @Override
    public Class<? extends Filter> implementation() {
        return IpAccessFilter.class;
    }

    @Override
    public String description() {
        return "Closes connections from client addresses outside \"allow\" or inside \"deny\" (CIDR ranges; PROXY-protocol aware).";
    }
}
