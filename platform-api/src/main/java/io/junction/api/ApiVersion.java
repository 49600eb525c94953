package io.junction.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this platform API, recorded by every plugin in its descriptor
 * ({@code META-INF/junction/plugin.properties}, key {@code apiVersion}) and checked before
 * any of the plugin's classes are loaded.
 *
 * <p>Versions are {@code MAJOR.MINOR}. A plugin built for the same major and a minor no
 * newer than the runtime's is compatible; minor versions only ever add to the API.
 */
public record ApiVersion(int major, int minor) {

    /** The API version of the platform-api jar this code belongs to. */
    public static final ApiVersion CURRENT = load();

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("API version parts must not be negative");
        }
    }

    /**
     * Parses {@code MAJOR.MINOR}.
     *
     * @throws IllegalArgumentException when the text is not two dot-separated numbers
     */
    public static ApiVersion parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected an API version like 1.0, got '" + text + "'");
        }
        try {
            return new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an API version like 1.0, got '" + text + "'", e);
        }
    }

    /** Whether a plugin built against {@code pluginVersion} can run on this API version. */
    public boolean canRun(ApiVersion pluginVersion) {
        return pluginVersion.major == major && pluginVersion.minor <= minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }

    private static ApiVersion load() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("api-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("platform-api is missing api-version.properties");
            }
            Properties properties = new Properties();
            properties.load(in);
            return parse(properties.getProperty("apiVersion"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
