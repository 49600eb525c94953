package io.junction.runtime.listener;

import io.junction.api.filter.ConnectionFilter;
import io.junction.api.protocol.ConnectionAddresses;
import io.junction.api.protocol.ProtocolHandler;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.listener.ConnectionLimiter.Rejection;
import io.junction.runtime.tls.TlsTermination;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline of one config generation, given the connections its listen addresses accept (the
 * sockets themselves are {@link ListenSockets}', kept across reloads): accounts for them, applies the
 * pipeline's limits, reads a PROXY protocol header when configured, runs the connection filters,
 * terminates TLS when configured and hands each connection to the protocol handler. Drains on request.
 */
public final class PipelineListener {

    private static final Logger log = LoggerFactory.getLogger(PipelineListener.class);

    /**
     * How much each read of every client connection asks for: Netty's adaptive sizing, its state kept per
     * connection (in the read handle), its settings shared rather than one copy per connection — 40 bytes
     * less for each idle connection. At most 16 reads per readiness event, the default of Netty's sockets.
     */
    private static final AdaptiveRecvByteBufAllocator RECEIVE_SIZES = new AdaptiveRecvByteBufAllocator();

    static {
        RECEIVE_SIZES.maxMessagesPerRead(16);
    }

    private final LoadedConfig.Pipeline config;
    private final ProtocolHandler protocol;
    private final Map<ChannelOption<?>, Object> connectionOptions;
    private final List<ConnectionFilter> connectionFilters;
    private final TrafficAccounting accounting;
    private final ConnectionLimiter limiter;
    private final TlsTermination tls;
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelInitializer<Channel> initializer = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {
            accept(channel);
        }
    };

    public PipelineListener(LoadedConfig.Pipeline config, ProtocolHandler protocol, List<ConnectionFilter> connectionFilters,
                            MeterRegistry metrics) {
        this.config = config;
        this.protocol = protocol;
        this.connectionOptions = Map.copyOf(protocol.connectionOptions());
        this.connectionFilters = List.copyOf(connectionFilters);
        this.accounting = new TrafficAccounting(config.name(), metrics);
        this.limiter = new ConnectionLimiter(config.limits());
        this.tls = config.tls() == null ? null : new TlsTermination(config.name(), config.tls(), metrics);
        for (Rejection reason : Rejection.values()) {
            rejected.put(reason, Counter.builder("junction.pipeline.connections.rejected")
                    .description("Client connections closed at once by a limit or a bad PROXY protocol header")
                    .tags("pipeline", config.name(), "reason", reason.tag).register(metrics));
        }
    }

    public String name() {
        return config.name();
    }

    /** The listen addresses of the pipeline, for {@link ListenSockets}. */
    public List<ListenSockets.Wanted> wanted() {
        List<ListenSockets.Wanted> wanted = new ArrayList<>();
        for (int i = 0; i < config.listen().size(); i++) {
            wanted.add(new ListenSockets.Wanted(config.listen().get(i),
                    config.path() + ".listen" + (config.listen().size() > 1 ? "[" + i + "]" : ""), this));
        }
        return wanted;
    }

    /** Sets the protocol's socket options on a connection not yet registered with its event loop. */
    void applyOptions(Channel channel) {
        channel.config().setRecvByteBufAllocator(RECEIVE_SIZES); // before the protocol's, which may replace it
        connectionOptions.forEach((option, value) -> option(channel, option, value));
    }

    @SuppressWarnings("unchecked")
    private static <T> void option(Channel channel, ChannelOption<T> option, Object value) {
        if (!channel.config().setOption(option, (T) value)) {
            log.warn("unknown socket option {} for {}", option, channel.getClass().getSimpleName());
        }
    }

    /** Runs when a connection is registered: hands it to this listener. */
    ChannelInitializer<Channel> initializer() {
        return initializer;
    }

    private void accept(Channel channel) {
        ClientTraffic traffic = accounting.opened(channel);
        Rejection rejection = limiter.admit(traffic);
        if (rejection != null) {
            reject(channel, rejection);
            return;
        }
        connections.add(channel);
        if (config.acceptProxyProtocol()) {
            ProxyProtocolReceiver.install(channel, () -> proceed(channel, traffic), why -> {
                rejected.get(Rejection.PROXY_PROTOCOL).increment();
                log.debug("pipeline {}: closing {}: {}", config.name(), channel.remoteAddress(), why);
            });
        } else {
            proceed(channel, traffic);
        }
    }

    /**
     * Runs once the client's address is known: the per-client limit, the connection filters, TLS, the protocol.
     * Filters run before the handshake, so a refused client costs no cryptography; the PROXY header, if any,
     * came before the ClientHello and is already read.
     */
    private void proceed(Channel channel, ClientTraffic traffic) {
        InetSocketAddress client = ConnectionAddresses.of(channel).client();
        Rejection rejection = limiter.admitClient(traffic, client == null ? null : client.getAddress());
        if (rejection != null) {
            reject(channel, rejection);
            return;
        }
        for (ConnectionFilter filter : connectionFilters) {
            boolean accepted;
            try {
                accepted = filter.accept(channel);
            } catch (RuntimeException e) {
                log.warn("pipeline {}: connection filter {} failed; closing the connection", config.name(),
                        filter.getClass().getName(), e);
                accepted = false;
            }
            if (!accepted) {
                accounting.refused();
                channel.close();
                return;
            }
        }
        if (tls != null) {
            tls.install(channel);
        }
        protocol.initChannel(channel);
    }

    private void reject(Channel channel, Rejection reason) {
        rejected.get(reason).increment();
        channel.config().setAutoRead(false);
        channel.close();
    }

    /** The pipeline's TLS, described for the start-up log; null without TLS termination. */
    public String describeTls() {
        return tls == null ? null : tls.tls().describe();
    }

    /**
     * Asks the protocol to finish its exchanges and close its connections; called once the
     * listening sockets no longer hand connections to this listener.
     */
    public void drain() {
        protocol.drain();
    }

    /** Client connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Closes every connection still open. */
    public void closeAll() {
        connections.close().awaitUninterruptibly();
    }
}
