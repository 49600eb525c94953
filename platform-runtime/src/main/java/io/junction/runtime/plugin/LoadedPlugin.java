package io.junction.runtime.plugin;

import java.util.List;

/**
 * A plugin that loaded: its descriptor, its module layer and main module, and its extensions.
 */
public record LoadedPlugin(PluginDescriptor descriptor, ModuleLayer layer, String module,
                           List<RegisteredExtension> extensions) {
}
