package io.junction.plugin.discoverydns;

import io.junction.api.config.ConfigDoc;
import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.List;

/** Settings of the {@code dns} discovery. */
@ConfigDoc("Re-resolves a DNS name on an interval; every A and AAAA record becomes an endpoint.")
public record DnsDiscoveryConfig(
        @ConfigDoc(value = "The host name to resolve, e.g. \"backend.internal\" or a headless service name.", required = true)
        String name,
        @ConfigDoc(value = "The port every resolved address is reached on.", required = true) Integer port,
        @ConfigDoc(value = "Weight of every discovered endpoint, 1 to 1000.", defaultValue = "1") Integer weight,
        @ConfigDoc(value = "How long to wait after a lookup before the next one; at least 1s.", defaultValue = "30s")
        Duration interval,
        @ConfigDoc(value = "How long to wait for the answer to one DNS query.", defaultValue = "5s") Duration timeout,
        @ConfigDoc(value = "Which records to use: \"ipv4\" (A), \"ipv6\" (AAAA) or \"both\".", defaultValue = "both")
        IpVersions ipVersions,
        @ConfigDoc("DNS servers to ask, each \"ip\" or \"ip:port\" (\"[ipv6]:port\"), tried in order; absent or empty uses"
                + " the system's (/etc/resolv.conf).")
        List<String> nameservers) {

    /** Which address records a lookup asks for. */
    public enum IpVersions { ipv4, ipv6, both }

    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_INTERVAL = Duration.ofDays(1);
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    public DnsDiscoveryConfig {
        weight = weight == null ? 1 : weight;
        interval = interval == null ? Duration.ofSeconds(30) : interval;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        ipVersions = ipVersions == null ? IpVersions.both : ipVersions;
        nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
        checkName(name);
        if (port == null) {
            throw new IllegalArgumentException("port: required, the port of the discovered endpoints (1 to 65535)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: expected 1 to 65535, got " + port);
        }
        if (weight < 1 || weight > 1000) {
            throw new IllegalArgumentException("weight: expected 1 to 1000, got " + weight);
        }
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("interval: must be between 1s and 1d, got " + interval);
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout: must be between 10ms and 1m, got " + timeout);
        }
        for (int i = 0; i < nameservers.size(); i++) {
            try {
                Nameservers.parse(nameservers.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("nameservers[" + i + "]: " + e.getMessage(), e);
            }
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: required, the host name to resolve");
        }
        if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
            throw new IllegalArgumentException("name: \"" + name + "\" is an IP address, not a name; list it as a static endpoint");
        }
        String absolute = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (absolute.length() > 253) {
            throw new IllegalArgumentException("name: longer than 253 characters");
        }
        for (String label : absolute.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("name: \"" + name + "\" has an empty label or one longer than 63 characters");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!Character.isLetterOrDigit(c) && c != '-' && c != '_') {
                    throw new IllegalArgumentException("name: \"" + name + "\" holds '" + c
                            + "'; expected a host name of letters, digits, '-', '_' and dots");
                }
            }
        }
    }
}
