package io.junction.runtime.config;

import io.junction.runtime.plugin.RegisteredExtension;

/**
 * An extension named in the config with its config record bound and validated.
 *
 * @param extension which extension
 * @param config    an instance of the extension's config type
 * @param path      where in the config it was declared
 */
public record BoundExtension(RegisteredExtension extension, Object config, String path) {

    public String type() {
        return extension.type();
    }
}
