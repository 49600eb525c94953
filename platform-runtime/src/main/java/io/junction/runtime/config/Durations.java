package io.junction.runtime.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations as written in config: {@code "150ms"}, {@code "2s"}, {@code "5m"}, {@code "1h"}. */
public final class Durations {

    /** Published in the JSON schema. */
    public static final String PATTERN = "^[0-9]+(ms|s|m|h|d)$";

    private static final Pattern SYNTAX = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration like \"150ms\", \"2s\", \"5m\" or \"1h\", got \"" + text + "\"");
        }
        try {
            long value = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(value);
                case "s" -> Duration.ofSeconds(value);
                case "m" -> Duration.ofMinutes(value);
                case "h" -> Duration.ofHours(value);
                default -> Duration.ofDays(value);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too large", e);
        }
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
