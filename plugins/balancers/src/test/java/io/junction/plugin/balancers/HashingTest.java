package io.junction.plugin.balancers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashingTest {

    @Test
    void valuesNeverChange() {
        // keys must reach the same endpoint after an upgrade: changing these moves every key
        assertThat(Hashing.hash("", 0)).isEqualTo(0x9ca066f1a4ab2eeaL);
        assertThat(Hashing.hash("a", 0)).isEqualTo(0x8586a5795e77d66bL);
        assertThat(Hashing.hash("user-42", 0)).isEqualTo(0xc981713f53dab6f6L);
        assertThat(Hashing.hash("10.0.0.1:8080", 1)).isEqualTo(0x801b99b30318be27L);
        assertThat(Hashing.hash(42L, 0)).isEqualTo(0x5190c27778b2a3b2L);
    }

    @Test
    void theSeedAndEveryCharacterMatter() {
        assertThat(Hashing.hash("user-42", 1)).isNotEqualTo(Hashing.hash("user-42", 0));
        assertThat(Hashing.hash("user-42", 0)).isNotEqualTo(Hashing.hash("user-24", 0));
        assertThat(Hashing.hash("abcd", 0)).isNotEqualTo(Hashing.hash("abcd\0", 0));
    }

    @Test
    void oneBitOfInputFlipsAboutHalfTheOutputBits() {
        long flipped = 0;
        int samples = 0;
        for (int i = 0; i < 2_000; i++) {
            String key = "key-" + i;
            long h = Hashing.hash(key, 0);
            char[] chars = key.toCharArray();
            chars[chars.length - 1] ^= 1;
            flipped += Long.bitCount(h ^ Hashing.hash(new String(chars), 0));
            flipped += Long.bitCount(Hashing.hash((long) i, 0) ^ Hashing.hash((long) i ^ 1L << (i % 64), 0));
            samples += 2;
        }
        assertThat(flipped / (double) samples).isBetween(31.0, 33.0);
    }

    @Test
    void sequencesDoNotCollide() {
        Set<Long> points = new HashSet<>();
        for (int endpoint = 0; endpoint < 100; endpoint++) {
            long base = Hashing.hash("10.0.0." + endpoint + ":80", 7);
            for (int n = 0; n < 1_000; n++) {
                points.add(Hashing.sequence(base, n));
            }
        }
        assertThat(points).hasSize(100_000);
    }
}
