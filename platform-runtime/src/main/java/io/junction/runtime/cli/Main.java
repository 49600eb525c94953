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
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(Main::refuseOptionsBeforeASubcommand);
    }

    /**
     * {@code junction -c FILE validate} would validate the default config: options before a
     * subcommand are the implicit {@code run}'s, and picocli would drop them silently. Refused instead.
     */
    private static int refuseOptionsBeforeASubcommand(CommandLine.ParseResult parseResult) {
        if (parseResult.hasSubcommand() && !parseResult.isUsageHelpRequested() && !parseResult.isVersionHelpRequested()
                && !parseResult.matchedOptions().isEmpty()) {
            String sub = parseResult.subcommand().commandSpec().name();
            throw new CommandLine.ParameterException(parseResult.commandSpec().commandLine(), "options before '" + sub
                    + "' are not passed to it; put them after it, e.g. 'junction " + sub + " "
                    + String.join(" ", parseResult.matchedOptions().get(0).originalStringValues().isEmpty()
                            ? java.util.List.of(parseResult.matchedOptions().get(0).longestName())
                            : java.util.List.of(parseResult.matchedOptions().get(0).longestName(),
                                    parseResult.matchedOptions().get(0).originalStringValues().get(0))) + "'");
        }
        return new CommandLine.RunLast().execute(parseResult);
    }
}
