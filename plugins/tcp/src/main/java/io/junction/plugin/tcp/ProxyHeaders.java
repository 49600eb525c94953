package io.junction.plugin.tcp;

import io.junction.api.protocol.ConnectionAddresses;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Builds the PROXY protocol header sent to a backend from a client connection's addresses. */
final class ProxyHeaders {

    private ProxyHeaders() {
    }

    static HAProxyMessage of(TcpProxyConfig.ProxyProtocolVersion version, ConnectionAddresses addresses) {
        HAProxyProtocolVersion v = version == TcpProxyConfig.ProxyProtocolVersion.v1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        InetSocketAddress source = addresses.client();
        InetSocketAddress destination = addresses.local();
        if (source == null || destination == null || source.getAddress() == null || destination.getAddress() == null) {
            return new HAProxyMessage(v, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        InetAddress src = source.getAddress();
        InetAddress dst = destination.getAddress();
        boolean v6 = src instanceof Inet6Address || dst instanceof Inet6Address;
        return new HAProxyMessage(v, HAProxyCommand.PROXY, v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
                text(src, v6), text(dst, v6), source.getPort(), destination.getPort());
    }

    private static String text(InetAddress address, boolean v6) {
        if (v6 && !(address instanceof Inet6Address)) {
            return "::ffff:" + address.getHostAddress(); // IPv4-mapped, as both ends must be one family
        }
        return address.getHostAddress();
    }
}
