package io.junction.plugin.balancers;

/**
 * A consistent-hashing table (a ring, a Maglev table) built for a fixed list of endpoints: it
 * maps a key's 64-bit hash to the index of one of them. Immutable.
 */
interface KeyTable {

    /** The index of the endpoint that owns {@code hash}. */
    int lookup(long hash);

    /**
     * The index of the endpoint that owns {@code hash} when only the endpoints whose bit is set in
     * {@code allowed} may be chosen: the next allowed owner after the key's place, so keys of
     * allowed endpoints do not move; -1 if none is allowed.
     */
    int lookup(long hash, long[] allowed);

    static boolean isSet(long[] bits, int index) {
        return (bits[index >>> 6] & 1L << index) != 0;
    }
}
