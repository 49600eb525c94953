package io.junction.api.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.util.Map;

/**
 * Serves the connections accepted by one pipeline. One instance exists per pipeline; it is
 * built when the config is loaded, with the pipeline's {@link Pipeline} and the protocol's
 * config record injected.
 *
 * <p>{@link #initChannel} is called on the connection's event loop and must never block;
 * {@link #drain} is called once, from the thread handling the stop signal or a config reload, so it
 * must hand work to each connection's event loop ({@code channel.eventLoop().execute(...)}). A reload
 * builds a new instance from the new config and drains the old one, which may still see a connection
 * begin just after {@code drain} (accepted just before the switch): treat such a connection as draining too.
 */
public interface ProtocolHandler {

    /**
     * Installs this protocol's handlers on a newly accepted connection. Called on the
     * connection's event loop after connection filters accepted it; the channel's pipeline
     * already holds the runtime's accounting handlers, which must stay first. Auto-read is on
     * unless this method turns it off.
     */
    void initChannel(Channel channel);

    /**
     * Options for the sockets this handler serves, set by the runtime when a connection is
     * accepted, before it is registered with its event loop (some options, such as the epoll
     * trigger mode, cannot change afterwards). Only options of the runtime's transport may be
     * returned ({@link io.junction.api.runtime.EventLoops#socketChannelType()}). The default is none.
     */
    default Map<ChannelOption<?>, Object> connectionOptions() {
        return Map.of();
    }

    /**
     * The listener has stopped accepting because the runtime is draining, or a reload replaced this
     * handler with one built from the new config. Finish in-flight
     * exchanges, then close connections at the next exchange boundary (an HTTP handler closes
     * idle keep-alive connections and answers {@code Connection: close}). The runtime closes
     * whatever is still open when the drain timeout ends. The default does nothing: the
     * connections end when their peers close them.
     */
    default void drain() {
    }
}
