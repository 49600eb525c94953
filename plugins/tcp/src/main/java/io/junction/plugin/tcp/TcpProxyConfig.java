package io.junction.plugin.tcp;

import io.junction.api.config.ConfigDoc;
import io.junction.api.config.DataSize;
import java.time.Duration;

/** Settings of the {@code tcp} protocol handler. */
@ConfigDoc("Layer 4 forwarding settings.")
public record TcpProxyConfig(
        @ConfigDoc(value = "How long to wait for a connection to an endpoint.", defaultValue = "5s") Duration connectTimeout,
        @ConfigDoc(value = "Close both sides after this long with no bytes in either direction.", defaultValue = "1h") Duration idleTimeout,
        @ConfigDoc(value = "Endpoints to try, each a different one, before the client is closed.", defaultValue = "3") Integer connectAttempts,
        @ConfigDoc("Send a PROXY protocol header (\"v1\" text or \"v2\" binary) to the backend first, so it sees the client's address.")
        ProxyProtocolVersion sendProxyProtocol,
        @ConfigDoc(value = "Move bytes with splice(2), kernel to kernel, never copying them into the JVM, when the epoll"
                + " transport is in use (Linux). Off relays every byte through Netty buffers.", defaultValue = "true")
        Boolean splice,
        @ConfigDoc(value = "Bytes either direction of a connection forwards through the JVM before the connection switches"
                + " to splice(2): short exchanges never pay for its pipes. 0 splices from the first byte.", defaultValue = "64KB")
        DataSize spliceAfter) {

    /** PROXY protocol versions a backend may be sent. */
    public enum ProxyProtocolVersion { v1, v2 }


    public TcpProxyConfig {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        idleTimeout = idleTimeout == null ? Duration.ofHours(1) : idleTimeout;
        connectAttempts = connectAttempts == null ? 3 : connectAttempts;
        splice = splice == null || splice;
        spliceAfter = spliceAfter == null ? DataSize.ofKilobytes(64) : spliceAfter;
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
