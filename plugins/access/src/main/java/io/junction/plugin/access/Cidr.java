package io.junction.plugin.access;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/** A CIDR range, checked by Netty's {@link IpSubnetFilterRule}. */
final class Cidr {

    private final IpSubnetFilterRule rule;

    private Cidr(IpSubnetFilterRule rule) {
        this.rule = rule;
    }

    /**
     * Parses {@code "address/prefix"} or a bare address (IP literals only: no names to resolve).
     *
     * @throws IllegalArgumentException starting with {@code field: }, naming the bad range
     */
    static Cidr parse(String field, String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        boolean v4 = NetUtil.isValidIpV4Address(address);
        if (!v4 && !NetUtil.isValidIpV6Address(address)) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" is not an IP address or CIDR range like \"10.0.0.0/8\"");
        }
        int max = v4 ? 32 : 128;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" has a bad prefix length");
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" prefix must be 0 to " + max);
        }
        return new Cidr(new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT));
    }

    boolean contains(InetSocketAddress address) {
        return rule.matches(address);
    }
}
