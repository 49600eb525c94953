/** Junction's layer 7 protocol handler for HTTP/1.1: a reverse proxy that balances each request. */
module io.junction.plugin.http {
    requires io.junction.api;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.codec.http2;
    requires micrometer.core;
    requires org.slf4j;

    provides io.junction.api.protocol.ProtocolHandlerExtension with io.junction.plugin.http.HttpProxyExtension;
}
