package io.junction.runtime.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of {@code junction run}. */
final class RunOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file (default: <install>/conf/junction.json).")
    Path config;

    @Option(names = "--event-loops", paramLabel = "N", description = "Event loop threads (default: one per core).")
    int eventLoops;

    @Mixin
    PluginOptions plugins;

    Path configFile() {
        return config != null ? config : Home.defaultConfig();
    }
}
