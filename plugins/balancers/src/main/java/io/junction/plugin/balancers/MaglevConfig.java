package io.junction.plugin.balancers;

import io.junction.api.config.ConfigDoc;

/** Settings of {@code maglev}: the key, and the size of the lookup table. */
@ConfigDoc("Consistent hashing with Google's Maglev lookup table.")
public record MaglevConfig(
        @ConfigDoc(value = "The key: \"source-ip\", \"header:<name>\", \"cookie:<name>\", \"path\" or \"sni\". A request "
                + "without it goes to a weighted random endpoint.", defaultValue = "\"source-ip\"") String hashOn,
        @ConfigDoc(value = "Slots in the lookup table, a prime; at least 100 times the number of endpoints keeps shares "
                + "within 1% and changes small.", defaultValue = "65537") Integer tableSize) {

    static final int DEFAULT_TABLE_SIZE = 65_537;
    static final int MAX_TABLE_SIZE = 5_000_011;

    public MaglevConfig {
        hashOn = hashOn == null ? HashOn.DEFAULT : hashOn;
        HashOn.parse("hashOn", hashOn);
        tableSize = tableSize == null ? DEFAULT_TABLE_SIZE : tableSize;
        if (tableSize < 3 || tableSize > MAX_TABLE_SIZE) {
            throw new IllegalArgumentException("tableSize: expected a prime from 3 to " + MAX_TABLE_SIZE + ", got " + tableSize);
        }
        if (!isPrime(tableSize)) {
            throw new IllegalArgumentException("tableSize: must be a prime, got " + tableSize + " (e.g. 65537, 131071, 1000003)");
        }
    }

    private static boolean isPrime(int n) {
        if (n % 2 == 0) {
            return n == 2;
        }
        for (int d = 3; (long) d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
