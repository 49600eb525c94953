package io.junction.runtime.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that cannot be used, with every error found in it. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<ConfigError> errors;

    public ConfigException(String source, List<ConfigError> errors) {
        super(format(source, errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public String source() {
        return source;
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String format(String source, List<ConfigError> errors) {
        return source + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors") + "\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }
}
