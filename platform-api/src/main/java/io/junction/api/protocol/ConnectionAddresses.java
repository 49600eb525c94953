package io.junction.api.protocol;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The addresses of a client connection as the proxy should see them: the client's and the one it
 * connected to. They are the socket's own addresses unless a load balancer in front sent a PROXY
 * protocol header (pipeline setting {@code acceptProxyProtocol}), in which case they are the ones
 * the header carried. Use this, not {@link Channel#remoteAddress()}, for logging, access control,
 * hashing and PROXY headers sent on to backends.
 *
 * @param client the client's address
 * @param local  the address the client connected to
 */
public record ConnectionAddresses(InetSocketAddress client, InetSocketAddress local) {

    private static final AttributeKey<ConnectionAddresses> KEY = AttributeKey.valueOf(ConnectionAddresses.class, "addresses");

    /** The addresses of {@code channel}: those from a PROXY header if one was received, else the socket's. */
    public static ConnectionAddresses of(Channel channel) {
        if (channel.hasAttr(KEY)) { // asked first: attr() would add an empty attribute to every connection
            ConnectionAddresses set = channel.attr(KEY).get();
            if (set != null) {
                return set;
            }
        }
        return new ConnectionAddresses(inet(channel.remoteAddress()), inet(channel.localAddress()));
    }

    /** Records the addresses a PROXY protocol header carried; called by the runtime. */
    public static void set(Channel channel, ConnectionAddresses addresses) {
        channel.attr(KEY).set(addresses);
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }
}
