package io.junction.runtime.cli;

import io.junction.runtime.config.ConfigException;
import io.junction.runtime.config.ConfigLoader;
import io.junction.runtime.config.LoadedConfig;
import io.junction.runtime.plugin.PluginSet;
import io.junction.runtime.server.JunctionServer;
import io.junction.runtime.server.StartupException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code junction run}: starts the pipelines and serves until SIGTERM or SIGINT, then drains and exits 0.
 * SIGHUP re-reads the config file and replaces the running config when it is valid.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run Junction (the default command).")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return run(options, spec);
    }

    static int run(RunOptions options, CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        // SIGHUP is handled from the first moment, so that a reload sent while Junction starts (a supervisor's
        // ExecReload, say) does not end the JVM: it is held and done once the server is up.
        AtomicReference<JunctionServer> running = new AtomicReference<>();
        AtomicBoolean reloadWhileStarting = new AtomicBoolean();
        try {
            Signal.handle(new Signal("HUP"), signal -> { // the reload logs and counts its outcome
                JunctionServer server = running.get();
                if (server != null) {
                    server.reload();
                } else {
                    reloadWhileStarting.set(true);
                }
            });
        } catch (IllegalArgumentException unavailable) { // no SIGHUP on this platform, or the JVM runs with -Xrs
            log.warn("SIGHUP cannot be handled here ({}); reload with POST /reload on the admin endpoint", unavailable.getMessage());
        }
        log.info("Junction {} starting (Java {}), config {}, plugins {}", Home.version(), Runtime.version(),
                options.configFile(), options.plugins.directory());
        PluginSet plugins = options.plugins.load(err);
        if (plugins == null) {
            return 1;
        }
        LoadedConfig config;
        try {
            config = new ConfigLoader(plugins.extensions()).load(options.configFile());
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        JunctionServer server;
        try {
            server = JunctionServer.start(config, plugins, options.eventLoops);
        } catch (StartupException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println("Junction did not start.");
            err.flush();
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        running.set(server);
        if (reloadWhileStarting.getAndSet(false)) {
            log.info("SIGHUP came while starting: reloading now");
            server.reload();
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stop requested");
        server.drainAndClose();
        log.info("stopped");
        return 0;
    }
}
