package io.junction.plugin.access;

import io.junction.api.config.ConfigDoc;
import java.util.List;

/**
 * Address ranges in CIDR notation ({@code "10.0.0.0/8"}, {@code "2001:db8::/32"}, or a single
 * address). A connection passes when it is in {@code allow} (or {@code allow} is empty) and not in
 * {@code deny}: deny wins.
 */
@ConfigDoc("Client address allow/deny lists; deny wins, and an empty allow list allows every address not denied.")
public record IpAccessConfig(
        @ConfigDoc("Ranges allowed; if given, every other address is refused.") List<String> allow,
        @ConfigDoc("Ranges refused, even when also allowed.") List<String> deny) {

    public IpAccessConfig {
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
        if (allow.isEmpty() && deny.isEmpty()) {
            throw new IllegalArgumentException("allow: give \"allow\" or \"deny\" (or both), e.g. \"allow\": [\"10.0.0.0/8\"]");
        }
        for (String range : allow) {
            Cidr.parse("allow", range);
        }
        for (String range : deny) {
            Cidr.parse("deny", range);
        }
    }
}
