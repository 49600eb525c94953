package io.junction.runtime.cli;

import io.junction.runtime.plugin.PluginLoader;
import io.junction.runtime.plugin.PluginReport;
import io.junction.runtime.plugin.PluginSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code junction plugins}: each plugin's file, module, version and extensions, then those that failed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the plugins found, their extensions, and the ones that fail to load (exit 1 if any).")
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PluginSet set = PluginLoader.overPlatformLayer().load(plugins.directory());
        spec.commandLine().getOut().print(PluginReport.text(set));
        spec.commandLine().getOut().flush();
        return set.errors().isEmpty() || plugins.ignoreBroken ? 0 : 1;
    }
}
