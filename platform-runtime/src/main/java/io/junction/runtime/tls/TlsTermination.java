package io.junction.runtime.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import java.util.EnumMap;
import java.util.Map;

/**
 * Terminates TLS on a pipeline's connections: adds the SNI handler (which becomes an
 * {@code SslHandler} once the ClientHello picked a certificate) and a {@link HandshakeMonitor}
 * that closes and counts failed handshakes. One per pipeline.
 */
public final class TlsTermination {

    /** Names of the handlers in each connection's pipeline. */
    public static final String HANDLER = "junction-tls";
    public static final String MONITOR = "junction-tls-handshake";

    /** Why a handshake failed: the {@code reason} tag of {@code junction.pipeline.tls.handshake.failures}. */
    enum Failure {
        NOT_TLS("not-tls"), TIMEOUT("timeout"), CLOSED("closed"), HANDSHAKE("handshake");

        final String tag;

        Failure(String tag) {
            this.tag = tag;
        }
    }

    private final String pipeline;
    private final ServerTls tls;
    private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);

    public TlsTermination(String pipeline, ServerTls tls, MeterRegistry metrics) {
        this.pipeline = pipeline;
        this.tls = tls;
        for (Failure reason : Failure.values()) {
            failures.put(reason, Counter.builder("junction.pipeline.tls.handshake.failures")
                    .description("Client connections closed because the TLS handshake failed")
                    .tags("pipeline", pipeline, "reason", reason.tag).register(metrics));
        }
    }

    /** Adds TLS at the end of the channel's pipeline; handlers added after it see plaintext. */
    public void install(Channel channel) {
        channel.pipeline()
                .addLast(HANDLER, tls.newHandler())
                .addLast(MONITOR, new HandshakeMonitor(pipeline, reason -> failures.get(reason).increment()));
    }

    public ServerTls tls() {
        return tls;
    }
}
