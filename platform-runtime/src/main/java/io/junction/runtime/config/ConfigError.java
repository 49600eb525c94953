package io.junction.runtime.config;

/**
 * One problem in a config: the JSON path it is at ({@code pipelines[0].protocol.type}) and what
 * was expected.
 */
public record ConfigError(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
