package io.junction.plugin.balancers;

import io.junction.api.config.ConfigDoc;

/** Settings of {@code least-requests}: when to compare every candidate, and how many otherwise. */
@ConfigDoc("Fewest requests in flight per unit of weight.")
public record LeastRequestsConfig(
        @ConfigDoc(value = "With at most this many candidates every one is compared (ties go round-robin); with more, "
                + "only choiceCount random ones, so a pick costs the same however many endpoints there are. "
                + "0 always samples.", defaultValue = "64") Integer fullScanUpTo,
        @ConfigDoc(value = "How many distinct random candidates to compare above fullScanUpTo; 2 is the power of two "
                + "choices (Envoy's choice_count).", defaultValue = "4") Integer choiceCount) {

    static final int DEFAULT_FULL_SCAN_UP_TO = 64;
    static final int DEFAULT_CHOICE_COUNT = 4;

    public LeastRequestsConfig {
        fullScanUpTo = fullScanUpTo == null ? DEFAULT_FULL_SCAN_UP_TO : fullScanUpTo;
        if (fullScanUpTo < 0 || fullScanUpTo > 100_000) {
            throw new IllegalArgumentException("fullScanUpTo: expected 0 to 100000, got " + fullScanUpTo);
        }
        choiceCount = choiceCount == null ? DEFAULT_CHOICE_COUNT : choiceCount;
        if (choiceCount < 2 || choiceCount > 64) {
            throw new IllegalArgumentException("choiceCount: expected 2 to 64, got " + choiceCount);
        }
    }
}
