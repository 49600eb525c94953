package io.junction.api.filter;

import io.netty.channel.Channel;

/**
 * A filter that runs once per accepted connection, for any protocol, before the protocol
 * handler sees it (source IP allow/deny lists, connection rate limits, PROXY protocol parsing).
 */
public interface ConnectionFilter extends Filter {

    /**
     * Decides whether a newly accepted connection may proceed. Called on the connection's event
     * loop; must not block. It may add handlers to the channel's pipeline (they sit before the
     * protocol's). Returning {@code false} closes the connection at once and counts it as refused.
     */
    boolean accept(Channel channel);
}
