package io.junction.runtime.plugin;

import java.nio.file.Path;

/** A plugin that cannot be loaded; the message names its file and says why. */
public final class PluginException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Path file;

    public PluginException(Path file, String problem) {
        super("plugin " + file + " " + problem);
        this.file = file;
    }

    public PluginException(Path file, String problem, Throwable cause) {
        super("plugin " + file + " " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
