package io.junction.plugin.healthchecks;

import java.util.List;

/** The response statuses an http check accepts, parsed once from "200" and "200-399" strings. */
final class StatusRanges {

    private final int[] lows;
    private final int[] highs;

    private StatusRanges(int[] lows, int[] highs) {
        this.lows = lows;
        this.highs = highs;
    }

    static StatusRanges of(List<String> specs) {
        int[] lows = new int[specs.size()];
        int[] highs = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            int[] range = parse(specs.get(i));
            lows[i] = range[0];
            highs[i] = range[1];
        }
        return new StatusRanges(lows, highs);
    }

    boolean contains(int status) {
        for (int i = 0; i < lows.length; i++) {
            if (status >= lows[i] && status <= highs[i]) {
                return true;
            }
        }
        return false;
    }

    /** Parses one spec into {low, high}; throws naming {@code expectedStatuses} when it is not one. */
    static int[] parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("expectedStatuses: null is not a status (200) or a range (200-399)");
        }
        int dash = spec.indexOf('-');
        int low = status(spec, dash < 0 ? spec : spec.substring(0, dash));
        int high = dash < 0 ? low : status(spec, spec.substring(dash + 1));
        if (low > high) {
            throw new IllegalArgumentException("expectedStatuses: \"" + spec + "\" is an empty range (the lower status comes first)");
        }
        return new int[] {low, high};
    }

    private static int status(String spec, String digits) {
        if (digits.length() != 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("expectedStatuses: \"" + spec + "\" is not a status (200) or a range (200-399)");
        }
        int status = Integer.parseInt(digits);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("expectedStatuses: \"" + spec + "\" is outside 100 to 599");
        }
        return status;
    }
}
