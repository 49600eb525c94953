/** Junction's layer 4 protocol handler: forwards each TCP connection to one endpoint of an upstream. */
module io.junction.plugin.tcp {
    requires io.junction.api;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.codec.haproxy;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires micrometer.core;
    requires org.slf4j;

    provides io.junction.api.protocol.ProtocolHandlerExtension with io.junction.plugin.tcp.TcpProxyExtension;
}
