package io.junction.api.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, written in config as a number with a unit: {@code "512B"}, {@code "64KB"},
 * {@code "16MB"}, {@code "1GB"}. Units are binary (1KB = 1024 bytes); a bare number means bytes.
 *
 * @param bytes the size in bytes, never negative
 */
public record DataSize(long bytes) {

    /** The pattern accepted by {@link #parse(String)}, also published in the JSON schema. */
    public static final String PATTERN = "^[0-9]+\\s*([KMGTkmgt]?[Bb])?$";

    private static final Pattern SYNTAX = Pattern.compile("([0-9]+)\\s*([KMGT]?B)?");

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size must not be negative");
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofKilobytes(long kilobytes) {
        return new DataSize(Math.multiplyExact(kilobytes, 1024L));
    }

    /**
     * Parses a size such as {@code "64KB"}.
     *
     * @throws IllegalArgumentException naming the expected syntax when {@code text} is not a size
     */
    @JsonCreator
    public static DataSize parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected a size like \"512B\", \"64KB\", \"16MB\" or \"1GB\", got \"" + text + "\"");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            default -> 0;
        };
        try {
            long value = Long.parseLong(m.group(1));
            if (shift > 0 && value > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return new DataSize(value << shift);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size \"" + text + "\" is too large", e);
        }
    }

    /** The size as an int, for buffer APIs; fails if it does not fit. */
    public int toIntBytes() {
        return Math.toIntExact(bytes);
    }

    @JsonValue
    @Override
    public String toString() {
        String[] units = {"TB", "GB", "MB", "KB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return bytes + "B";
    }
}
