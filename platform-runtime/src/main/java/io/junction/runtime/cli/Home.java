package io.junction.runtime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

/** The install directory ({@code -Djunction.home}, set by {@code bin/junction}) and the version. */
final class Home {

    private Home() {
    }

    static Path dir() {
        return Path.of(System.getProperty("junction.home", ".")).toAbsolutePath().normalize();
    }

    static Path defaultPlugins() {
        return dir().resolve("plugins");
    }

    static Path defaultConfig() {
        return dir().resolve("conf").resolve("junction.json");
    }

    static String version() {
        try (InputStream in = Home.class.getResourceAsStream("/io/junction/runtime/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
