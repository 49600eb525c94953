package io.junction.runtime.plugin;

import io.junction.api.Extension;

/**
 * An extension and where it came from.
 *
 * @param kind      which extension point
 * @param extension the provider instance
 * @param plugin    the plugin providing it, or null for an extension registered in code (tests)
 */
public record RegisteredExtension(ExtensionKind kind, Extension<?, ?> extension, PluginDescriptor plugin) {

    public String type() {
        return extension.type();
    }

    /** The class loader to make current while calling into the extension's code. */
    public ClassLoader classLoader() {
        ClassLoader loader = extension.getClass().getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    public String origin() {
        return plugin == null ? "built-in" : plugin.jar().getFileName().toString();
    }
}
