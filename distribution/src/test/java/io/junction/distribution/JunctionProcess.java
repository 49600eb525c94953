package io.junction.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real distribution ({@code target/junction/bin/junction}) started as a separate process, as a
 * user would start it. Output goes to a file that tests can wait on.
 */
final class JunctionProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path output;

    private JunctionProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static Path dist() {
        return Path.of(System.getProperty("junction.dist", "target/junction")).toAbsolutePath();
    }

    static Path testPlugins() {
        return Path.of(System.getProperty("junction.testPlugins", "target/test-plugins")).toAbsolutePath();
    }

    /** Starts {@code bin/junction args...}; the output is written to a file in {@code workDir}. */
    static JunctionProcess start(Path workDir, String... args) throws IOException {
        Path out = Files.createTempFile(workDir, "junction-", ".log");
        ProcessBuilder builder = command(args).redirectErrorStream(true).redirectOutput(out.toFile()).directory(workDir.toFile());
        return new JunctionProcess(builder.start(), out);
    }

    /** Starts with extra JVM options ({@code JUNCTION_OPTS}, e.g. a small heap) and waits until ready. */
    static JunctionProcess startReadyWithOptions(Path workDir, String javaOptions, String... args) throws IOException {
        Path out = Files.createTempFile(workDir, "junction-", ".log");
        ProcessBuilder builder = command(args).redirectErrorStream(true).redirectOutput(out.toFile()).directory(workDir.toFile());
        builder.environment().put("JUNCTION_OPTS", javaOptions);
        JunctionProcess process = new JunctionProcess(builder.start(), out);
        process.awaitOutput("Junction ready in", START_TIMEOUT);
        return process;
    }

    /** Starts and waits until the startup summary says ready. */
    static JunctionProcess startReady(Path workDir, String... args) throws IOException {
        JunctionProcess process = start(workDir, args);
        process.awaitOutput("Junction ready in", START_TIMEOUT);
        return process;
    }

    /** Runs {@code bin/junction args...} to completion (a minute at most). */
    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "junction-out-", ".txt");
        Path err = Files.createTempFile(workDir, "junction-err-", ".txt");
        Process p = command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).directory(workDir.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("junction " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The outcome of a command that ran to completion. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(dist().resolve("bin/junction").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        // The tests keep Netty's leak detection on (the launcher turns it off for speed): a leaked
        // buffer is then reported in the process output.
        builder.environment().merge("JUNCTION_OPTS", "-Dio.netty.leakDetection.level=simple", (given, ours) -> ours + " " + given);
        String javaHome = System.getProperty("junction.java");
        if (javaHome != null) {
            builder.environment().put("JAVA_HOME", javaHome);
        }
        return builder;
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the output contains {@code text}; fails early if the process exits. */
    void awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("junction exited with " + process.exitValue() + " before printing '" + text
                        + "':\n" + output());
            }
            sleep(50);
        }
        throw new AssertionError("junction did not print '" + text + "' within " + timeout + ":\n" + output());
    }

    /** Sends SIGTERM without waiting. */
    void signalTerm() {
        process.destroy();
    }

    /** Sends a signal by name ({@code "HUP"}) with kill(1); the launcher execs the JVM, so its pid is Junction's. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM and returns the exit code (fails if it takes longer than {@code timeout}). */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy(); // SIGTERM
        return waitFor(timeout);
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("junction did not exit within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
