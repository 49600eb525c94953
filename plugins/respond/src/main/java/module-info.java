/** Junction's respond protocol handler: answers every HTTP request itself (direct response). */
module io.junction.plugin.respond {
    requires io.junction.api;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.handler;

    provides io.junction.api.protocol.ProtocolHandlerExtension with io.junction.plugin.respond.RespondExtension;
}
