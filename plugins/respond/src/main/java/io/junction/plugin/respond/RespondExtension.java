package io.junction.plugin.respond;

import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;

/** {@code "respond"}: answers every HTTP request with a fixed status, headers and body. */
public final class RespondExtension implements ProtocolHandlerExtension<RespondConfig> {

    @Override
    public String type() {
        return "respond";
    }

    @Override
    public Class<RespondConfig> configType() {
        return RespondConfig.class;
    }

    @Override
    public Class<? extends ProtocolHandler> implementation() {
        return RespondHandler.class;
    }

    @Override
    public boolean usesUpstreams() {
        return false;
    }

    @Override
    public String description() {
        return "Answers every HTTP/1.x request with a configured status, headers and body (maintenance pages, health endpoints, demo backends).";
    }
}
