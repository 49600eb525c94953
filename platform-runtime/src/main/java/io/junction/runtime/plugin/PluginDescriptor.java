package io.junction.runtime.plugin;

import io.junction.api.ApiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The small descriptor every plugin jar carries at {@value #LOCATION}, read before any of its
 * classes are loaded so that a plugin built for another API is refused with a message.
 *
 * @param id          the plugin's id (its artifact id)
 * @param version     the plugin's own version
 * @param apiVersion  the platform-api version it was compiled against
 * @param description one line about the plugin
 * @param jar         the jar holding the descriptor
 * @param jars        that jar and, for a plugin folder, its private dependencies
 */
public record PluginDescriptor(String id, String version, ApiVersion apiVersion, String description,
                               Path jar, List<Path> jars) {

    public static final String LOCATION = "META-INF/junction/plugin.properties";

    /** Whether {@code jar} is a readable zip holding a plugin descriptor. */
    static boolean hasDescriptor(Path jar) throws PluginException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(LOCATION) != null;
        } catch (ZipException e) {
            throw new PluginException(jar, "is not a valid jar (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new PluginException(jar, "cannot be read: " + e.getMessage());
        }
    }

    /** Reads the descriptor of {@code jar}; {@code jars} are all jars of the plugin. */
    static PluginDescriptor read(Path jar, List<Path> jars) throws PluginException {
        Properties p = new Properties();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(LOCATION);
            if (entry == null) {
                throw new PluginException(jar, "has no plugin descriptor " + LOCATION);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                p.load(in);
            }
        } catch (ZipException e) {
            throw new PluginException(jar, "is not a valid jar (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new PluginException(jar, "cannot be read: " + e.getMessage());
        }
        String id = required(p, "id", jar);
        String version = required(p, "version", jar);
        ApiVersion api;
        try {
            api = ApiVersion.parse(required(p, "apiVersion", jar));
        } catch (IllegalArgumentException e) {
            throw new PluginException(jar, LOCATION + ": apiVersion: " + e.getMessage());
        }
        if (!ApiVersion.CURRENT.canRun(api)) {
            String remedy = api.major() == ApiVersion.CURRENT.major()
                    ? "it needs features added after API " + ApiVersion.CURRENT + "; upgrade Junction"
                    : "use a build of plugin '" + id + "' for API " + ApiVersion.CURRENT.major() + ".x";
            throw new PluginException(jar, "was built for platform API " + api
                    + " but this Junction provides API " + ApiVersion.CURRENT + "; " + remedy);
        }
        return new PluginDescriptor(id, version, api, p.getProperty("description", ""), jar, List.copyOf(jars));
    }

    private static String required(Properties p, String key, Path jar) throws PluginException {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new PluginException(jar, LOCATION + " lacks '" + key + "'");
        }
        return value.trim();
    }
}
