package io.junction.runtime.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.api.protocol.ProtocolHandler;
import io.junction.runtime.config.HostPort;
import io.junction.runtime.config.LimitsSection;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listening sockets kept across a listener swap, on real loopback sockets. */
class ListenSocketsTest {

    private final Transport transport = Transport.start(1, false);
    private final ListenSockets sockets = new ListenSockets(transport);
    private final List<PipelineListener> listeners = new ArrayList<>();

    @AfterEach
    void stop() {
        sockets.closeAll();
        listeners.forEach(PipelineListener::closeAll);
        transport.close();
    }

    /** A listener whose protocol answers its name to every connection, then closes it. */
    private PipelineListener listener(String name, int... ports) {
        List<HostPort> listen = new ArrayList<>();
        for (int port : ports) {
            listen.add(new HostPort("127.0.0.1", port));
        }
        LoadedConfig.Pipeline config = new LoadedConfig.Pipeline(name, "pipelines[0]", listen, false, LimitsSection.DEFAULT,
                null, null, List.of(), List.of());
        PipelineListener listener = new PipelineListener(config, new Namer(name), List.of(), new SimpleMeterRegistry());
        listeners.add(listener);
        return listener;
    }

    private ListenSockets.Binding install(PipelineListener listener) {
        List<String> problems = new ArrayList<>();
        ListenSockets.Binding binding = sockets.bind(listener.wanted(), problems);
        assertThat(problems).isEmpty();
        sockets.commit(binding);
        return binding;
    }

    @Test
    void aKeptAddressKeepsItsSocketAndServesTheNewListener() throws IOException {
        int port = freePort();
        PipelineListener first = listener("first", port);
        install(first);
        assertThat(answer(port)).isEqualTo("first");

        PipelineListener second = listener("second", port);
        // Binding the same address again would fail while the first socket is open: it is reused.
        ListenSockets.Binding binding = install(second);
        assertThat(binding.addressesOf(second)).containsExactly(new InetSocketAddress("127.0.0.1", port));
        assertThat(answer(port)).isEqualTo("second");
    }

    @Test
    void anAddressNoLongerWantedClosesAndANewOneListens() throws IOException {
        int kept = freePort();
        int dropped = freePort();
        int added = freePort();
        install(listener("old", kept, dropped));
        assertThat(answer(dropped)).isEqualTo("old");

        install(listener("new", kept, added));
        assertThat(answer(kept)).isEqualTo("new");
        assertThat(answer(added)).isEqualTo("new");
        assertThatThrownBy(() -> answer(dropped)).isInstanceOf(ConnectException.class);
    }

    @Test
    void aBindFailureNamesThePathAndAbortLeavesEverythingAsItWas() throws IOException {
        int kept = freePort();
        int added = freePort();
        install(listener("old", kept));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            PipelineListener next = listener("new", kept, added, taken.getLocalPort());
            List<String> problems = new ArrayList<>();
            ListenSockets.Binding binding = sockets.bind(next.wanted(), problems);
            assertThat(problems).containsExactly("pipelines[0].listen[2]: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is already in use");
            sockets.abort(binding);
        }
        assertThat(answer(kept)).isEqualTo("old");
        assertThatThrownBy(() -> answer(added)).isInstanceOf(ConnectException.class);
    }

    private static String answer(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private record Namer(String name) implements ProtocolHandler {
        @Override
        public void initChannel(Channel channel) {
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer(name, StandardCharsets.US_ASCII))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            });
        }
    }
}
