package io.junction.plugin.tcp;

import io.netty.channel.Channel;

/** The backend side of a forwarded connection: relays backend bytes to the client. */
final class BackendRelay extends Relay {

    BackendRelay(Channel client) {
        this.peer = client;
        this.established = false;
    }

}
