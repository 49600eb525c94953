package io.junction.runtime.cli;

import io.junction.api.ApiVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code junction version}. */
@Command(name = "version", description = "Print the Junction, platform API and Java versions.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Junction " + Home.version() + " (platform API " + ApiVersion.CURRENT + ", Java "
                    + Runtime.version() + ")"};
        }
    }
}
