package io.junction.api.protocol;

/**
 * The bytes a connection's socket has received and sent since it opened, as the kernel counts them.
 * A protocol handler that moves bytes outside the channel pipeline (zero-copy forwarding with
 * splice(2)) fires this as a user event from the pipeline's head
 * ({@code channel.pipeline().fireUserEventTriggered(...)}) from time to time and before it closes
 * the connection; the runtime's byte counters, which see only what passes through the pipeline,
 * bring themselves up to these totals. Totals only grow.
 *
 * @param received bytes received from the peer
 * @param sent     bytes handed to the socket for the peer
 */
public record SocketByteTotals(long received, long sent) {
}
