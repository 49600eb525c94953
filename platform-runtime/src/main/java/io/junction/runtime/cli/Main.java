package io.junction.runtime.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/junction}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Guice must not generate bytecode into plugin layers; set before any Guice class loads.
        System.setProperty("guice_bytecode_gen_option", "DISABLED");
        int code = commandLine().execute(args);
        System.exit(code);
    }

    static CommandLine commandLine() {
        return new CommandLine(new JunctionCommand())
                .setCaseInsensitiveEnumValuesAllowed(true);
    }
}
