package io.junction.api.filter;

import io.junction.api.Extension;

/**
 * A filter a pipeline can list in {@code "filters": [{"type": ...}]}. One implementation
 * instance is built per pipeline that lists it and is shared by all its connections, so it must
 * be thread-safe; per-connection state belongs in channel handlers or attributes.
 *
 * @param <C> the filter's config record
 */
public interface FilterExtension<C> extends Extension<C, Filter> {
}
