package io.junction.api.discovery;

import io.junction.api.Extension;

/**
 * An endpoint discovery an upstream can name in {@code "discovery": {"type": ...}}. One
 * implementation instance is built per upstream. Since API 1.2.
 *
 * @param <C> the discovery's config record
 */
public interface DiscoveryExtension<C> extends Extension<C, EndpointDiscovery> {
}
