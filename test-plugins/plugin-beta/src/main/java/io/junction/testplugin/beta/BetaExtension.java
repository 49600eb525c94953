package io.junction.testplugin.beta;

import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;
import io.junction.testlib.Greeting;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;

/** {@code "beta"}: writes one line naming the testlib version it sees, then closes. */
public final class BetaExtension implements ProtocolHandlerExtension<BetaExtension.Config> {

    /** No settings. */
    public record Config() {
    }

    @Override
    public String type() {
        return "beta";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Class<? extends ProtocolHandler> implementation() {
        return Handler.class;
    }

    @Override
    public boolean usesUpstreams() {
        return false;
    }

    /** Answers each connection with one line; built through its public no-argument constructor. */
    public static final class Handler implements ProtocolHandler {
        @Override
        public void initChannel(Channel channel) {
            String line = "beta testlib=" + Greeting.version("v") + "\n";
            channel.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
