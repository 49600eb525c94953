package io.junction.runtime.plugin;

import java.util.List;

/**
 * The outcome of loading a plugin directory: the plugins that loaded, their extensions, and an
 * error for each plugin that did not.
 */
public record PluginSet(List<LoadedPlugin> plugins, ExtensionRegistry extensions, List<PluginException> errors) {
}
