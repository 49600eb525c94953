package io.junction.plugin.http;

import io.junction.api.upstream.Endpoint;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/** An endpoint with nothing but an address, for tests that connect to it themselves. */
final class TestEndpoint implements Endpoint {

    private final InetSocketAddress address;

    TestEndpoint(String host, int port) {
        this.address = new InetSocketAddress(host, port);
    }

    @Override
    public String id() {
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int weight() {
        return 1;
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public int activeConnections() {
        return 0;
    }

    @Override
    public void track(Channel connection) {
    }

    @Override
    public void connectFailed(Throwable cause) {
    }
}
