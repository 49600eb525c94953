package io.junction.plugin.http;

import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc-timeout} field (PROTOCOL-HTTP2.md): {@code 1*8DIGIT} then a unit, H (hours), M (minutes),
 * S (seconds), m (milliseconds), u (microseconds) or n (nanoseconds).
 */
final class GrpcTimeout {

    /** The field is absent. */
    static final long ABSENT = -1;
    /** The field is present but not {@code 1*8DIGIT unit}. */
    static final long MALFORMED = -2;

    private static final long MAX_VALUE = 99_999_999L;

    private GrpcTimeout() {
    }

    /** The timeout in nanoseconds (saturating at Long.MAX_VALUE), or {@link #ABSENT} or {@link #MALFORMED}. */
    static long parse(String value) {
        if (value == null) {
            return ABSENT;
        }
        int digits = value.length() - 1;
        if (digits < 1 || digits > 8) {
            return MALFORMED;
        }
        long amount = 0;
        for (int i = 0; i < digits; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return MALFORMED;
            }
            amount = amount * 10 + (c - '0');
        }
        TimeUnit unit = switch (value.charAt(digits)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null ? MALFORMED : unit.toNanos(amount);
    }

    /**
     * {@code nanos} (at least 0) as a field value: the finest unit whose amount fits in 8 digits, rounded
     * down, so that the next hop never waits longer than Junction would.
     */
    static String encode(long nanos) {
        long value = Math.max(0, nanos);
        for (int i = 0; i < UNITS.length - 1; i++) {
            if (value <= MAX_VALUE) {
                return value + UNITS[i];
            }
            value /= TO_NEXT_UNIT[i];
        }
        return Math.min(MAX_VALUE, value) + UNITS[UNITS.length - 1];
    }

    /** The units of the field, finest first, and how many of each make one of the next. */
    private static final String[] UNITS = {"n", "u", "m", "S", "M", "H"};
    private static final long[] TO_NEXT_UNIT = {1000, 1000, 1000, 60, 60};
}
