package io.junction.plugin.tcp;

import io.junction.api.config.ConfigDoc;
import java.time.Duration;

/** Settings of the {@code tcp} protocol handler. */
@ConfigDoc("Layer 4 forwarding settings.")
public record TcpProxyConfig(
        @ConfigDoc(value = "How long to wait for a connection to an endpoint.", defaultValue = "5s") Duration connectTimeout,
        @ConfigDoc(value = "Close both sides after this long with no bytes in either direction.", defaultValue = "1h") Duration idleTimeout,
        @ConfigDoc(value = "Endpoints to try, each a different one, before the client is closed.", defaultValue = "3") Integer connectAttempts,
        @ConfigDoc("Send a PROXY protocol header (\"v1\" text or \"v2\" binary) to the backend first, so it sees the client's address.")
        ProxyProtocolVersion sendProxyProtocol,
        @ConfigDoc(value = "Move bytes with splice(2), kernel to kernel, when the epoll transport is in use. Experimental: a side"
                + " that closes while its last bytes still wait in the kernel loses them (Netty's splice shuts input on FIN),"
                + " and byte counters do not see spliced bytes. Use it only for protocols whose peers read everything before closing.",
                defaultValue = "false")
        Boolean splice) {

    /** PROXY protocol versions a backend may be sent. */
    public enum ProxyProtocolVersion { v1, v2 }


    public TcpProxyConfig {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        idleTimeout = idleTimeout == null ? Duration.ofHours(1) : idleTimeout;
        connectAttempts = connectAttempts == null ? 3 : connectAttempts;
        splice = splice != null && splice;
        if (connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeout: must be between 1ms and 24 days");
        }
        if (idleTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.compareTo(java.time.Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("idleTimeout: must be between 1ms and 365d");
        }
        if (connectAttempts < 1 || connectAttempts > 10) {
            throw new IllegalArgumentException("connectAttempts: expected 1 to 10, got " + connectAttempts);
        }
    }
}
