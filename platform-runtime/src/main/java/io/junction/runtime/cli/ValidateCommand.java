package io.junction.runtime.cli;

import io.junction.runtime.config.ConfigException;
import io.junction.runtime.config.ConfigLoader;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.plugin.PluginSet;
import io.junction.runtime.server.JunctionServer;
import io.junction.runtime.server.StartupException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code junction validate}: checks a config and builds every extension it names, without binding a port. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a config file without binding any port; exit 0 when valid, 1 with the errors otherwise.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PluginSet plugins = options.plugins.load(err);
        if (plugins == null) {
            return 1;
        }
        try {
            LoadedConfig config = new ConfigLoader(plugins.extensions()).load(options.configFile());
            JunctionServer.check(config, plugins);
            out.println(options.configFile() + ": valid (" + config.pipelines().size() + " pipelines, "
                    + config.upstreams().size() + " upstreams)");
            return 0;
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
        } catch (StartupException e) {
            e.problems().forEach(p -> err.println("error: " + options.configFile() + ": " + p));
        }
        return 1;
    }
}
