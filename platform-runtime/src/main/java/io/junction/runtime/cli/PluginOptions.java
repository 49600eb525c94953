package io.junction.runtime.cli;

import io.junction.runtime.plugin.PluginException;
import io.junction.runtime.plugin.PluginLoader;
import io.junction.runtime.plugin.PluginSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options shared by every command that loads plugins. */
final class PluginOptions {

    private static final Logger log = LoggerFactory.getLogger(PluginOptions.class);

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugin directory (default: <install>/plugins).")
    Path plugins;

    @Option(names = "--ignore-broken-plugins", description = "Start without plugins that fail to load instead of refusing to start.")
    boolean ignoreBroken;

    Path directory() {
        return plugins != null ? plugins : Home.defaultPlugins();
    }

    /** Loads the plugins; null (after printing the errors) when some failed and broken plugins are not ignored. */
    PluginSet load(PrintWriter err) {
        PluginSet set = PluginLoader.overPlatformLayer().load(directory());
        if (set.errors().isEmpty()) {
            return set;
        }
        if (ignoreBroken) {
            for (PluginException e : set.errors()) {
                log.warn("{} (ignored: --ignore-broken-plugins)", e.getMessage());
            }
            return set;
        }
        for (PluginException e : set.errors()) {
            err.println("error: " + e.getMessage());
        }
        err.println(set.errors().size() + " plugin(s) failed to load."
                + " Fix or remove them, or pass --ignore-broken-plugins to go on without them.");
        err.flush();
        return null;
    }
}
