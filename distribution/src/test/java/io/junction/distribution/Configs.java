package io.junction.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Config files and plugin directories for the integration tests. */
final class Configs {

    private Configs() {
    }

    static Path write(Path dir, String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }

    /** A plugin directory holding copies of the distribution's own plugins. */
    static Path pluginsWithBundled(Path dir) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (Stream<Path> jars = Files.list(JunctionProcess.dist().resolve("plugins"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, plugins.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return plugins;
    }

    /** Copies a test plugin folder (plugin jar plus private library) into {@code plugins}. */
    static Path addTestPlugin(Path plugins, String name) throws IOException {
        Path target = Files.createDirectories(plugins.resolve(name));
        try (Stream<Path> jars = Files.list(JunctionProcess.testPlugins().resolve(name))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    /** The bundled plugin jar whose name starts with {@code prefix}. */
    static Path bundled(Path plugins, String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(plugins)) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no plugin " + prefix + " in " + plugins));
        }
    }
}
