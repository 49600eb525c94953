package io.junction.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code junction}: without a subcommand, the same as {@code junction run}. */
@Command(name = "junction", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Junction: a plugin-based layer 4 / layer 7 proxy.",
        subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, SchemaCommand.class, VersionCommand.class})
final class JunctionCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return RunCommand.run(options, spec);
    }
}
