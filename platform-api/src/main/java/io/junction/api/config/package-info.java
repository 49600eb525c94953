/**
 * Value types and annotations for extension config records.
 *
 * <p>Config records may use {@link java.time.Duration} (written {@code "150ms"}, {@code "2s"},
 * {@code "5m"}, {@code "1h"}) and {@link io.junction.api.config.DataSize} (written
 * {@code "512B"}, {@code "64KB"}, {@code "1MB"}); both are parsed once, when the config is loaded.
 */
package io.junction.api.config;
