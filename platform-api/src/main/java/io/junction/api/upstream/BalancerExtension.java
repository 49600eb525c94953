package io.junction.api.upstream;

import io.junction.api.Extension;

/**
 * A balancer an upstream can name in {@code "balancer": {"type": ...}}. One implementation
 * instance is built per upstream.
 *
 * @param <C> the balancer's config record
 */
public interface BalancerExtension<C> extends Extension<C, Balancer> {
}
