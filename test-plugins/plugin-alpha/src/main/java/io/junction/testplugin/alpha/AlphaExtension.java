package io.junction.testplugin.alpha;

import io.junction.api.config.ConfigDoc;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.api.protocol.ProtocolHandlerExtension;
import io.junction.testlib.Greeting;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/** {@code "alpha"}: writes one line naming the testlib version it sees, then closes. */
public final class AlphaExtension implements ProtocolHandlerExtension<AlphaExtension.Config> {

    /** @param greeting the first word of the line */
    public record Config(@ConfigDoc(value = "First word of the line.", defaultValue = "alpha") String greeting) {
        public Config {
            greeting = greeting == null ? "alpha" : greeting;
            if (greeting.isBlank()) {
                throw new IllegalArgumentException("greeting: must not be blank");
            }
        }
    }

    @Override
    public String type() {
        return "alpha";
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

    /** Answers each connection with one line. */
    public static final class Handler implements ProtocolHandler {
        private final Config config;

        @Inject
        public Handler(Config config) {
            this.config = config;
        }

        @Override
        public void initChannel(Channel channel) {
            String line = config.greeting() + " testlib=" + Greeting.version() + "\n";
            channel.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
