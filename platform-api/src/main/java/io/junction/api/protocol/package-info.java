/**
 * Protocol handlers: what a pipeline's listener speaks ({@code tcp}, {@code http}, ...).
 *
 * <p>The runtime owns the listening socket, connection limits, connection filters, metrics
 * and draining; a protocol handler only installs its Netty handlers on each accepted
 * connection and uses the pipeline's routes to reach upstreams.
 */
package io.junction.api.protocol;
