package io.junction.runtime.cli;

import io.junction.runtime.config.SchemaGenerator;
import io.junction.runtime.plugin.PluginSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code junction schema}: the JSON Schema of the config, for the plugins present. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema of the config file, covering the plugins present.")
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PluginSet set = plugins.load(spec.commandLine().getErr());
        if (set == null) {
            return 1;
        }
        spec.commandLine().getOut().println(new SchemaGenerator(set.extensions()).generate().toPrettyString());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
