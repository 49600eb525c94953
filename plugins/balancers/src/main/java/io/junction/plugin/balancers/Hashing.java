package io.junction.plugin.balancers;

/**
 * Junction's own 64-bit hashes for the hashing balancers: murmur3's 64-bit block mix over UTF-16
 * code units and its finalizer. Stable across releases and JVMs (keys must land on the same
 * endpoint after a restart), but not compatible with other proxies' hashes.
 */
final class Hashing {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private Hashing() {
    }

    /** The hash of {@code text}'s characters, varied by {@code seed}. */
    static long hash(CharSequence text, long seed) {
        int length = text.length();
        long h = seed ^ GOLDEN ^ length * C1;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            long k = text.charAt(i)
                    | (long) text.charAt(i + 1) << 16
                    | (long) text.charAt(i + 2) << 32
                    | (long) text.charAt(i + 3) << 48;
            h ^= mixBlock(k);
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 16) {
            tail |= (long) text.charAt(i) << shift;
        }
        h ^= mixBlock(tail);
        return mix(h ^ length);
    }

    /** The hash of {@code value}, varied by {@code seed}. */
    static long hash(long value, long seed) {
        return mix(mixBlock(value) ^ seed * GOLDEN ^ C2);
    }

    /**
     * The {@code n}th of a sequence of well-spread values derived from {@code base} (SplitMix64):
     * the points of one endpoint on a hash ring.
     */
    static long sequence(long base, int n) {
        return mix(base + (n + 1L) * GOLDEN);
    }

    /** murmur3's 64-bit finalizer: every input bit affects every output bit. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long mixBlock(long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        return k * C2;
    }
}
