/**
 * Extension basics shared by every kind of plugin extension.
 *
 * <h2>Services a plugin may inject</h2>
 * An extension's implementation class is built by the runtime through dependency
 * injection: give it one public constructor annotated with {@link jakarta.inject.Inject}
 * and ask for any of
 * <ul>
 *   <li>its own config record (the {@link io.junction.api.Extension#configType()}),</li>
 *   <li>{@link io.micrometer.core.instrument.MeterRegistry} — the metrics registry served on {@code /metrics},</li>
 *   <li>{@link io.junction.api.upstream.UpstreamRegistry} — the configured upstreams,</li>
 *   <li>{@link io.junction.api.runtime.EventLoops} — the event loops and channel types of the transport in use,</li>
 *   <li>{@link java.util.concurrent.ScheduledExecutorService} — a scheduler for short, non-blocking timer tasks,</li>
 *   <li>for protocol handlers, the {@link io.junction.api.protocol.Pipeline} they serve.</li>
 * </ul>
 * Plugins do not depend on the injector itself; only {@code jakarta.inject} annotations.
 */
package io.junction.api;
