package io.junction.runtime.config;

/**
 * Checks used in the compact constructors of config records. A failure is an
 * {@link IllegalArgumentException} whose message starts with {@code "field: "}, which the loader
 * turns into a JSON path such as {@code pipelines[0].listen: ...}.
 */
final class ConfigChecks {

    private ConfigChecks() {
    }

    static String required(String field, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required, e.g. " + example);
        }
        return value;
    }

    static HostPort hostPort(String field, String value) {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
    }
}
