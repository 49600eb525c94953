package io.junction.plugin.http.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The fields of a header or trailer section, in the order received and with the names spelt as
 * received. Names are looked up ignoring ASCII case; a name may occur several times. Not
 * thread-safe. Values are not checked here: {@link HttpEncoder} refuses names and values that
 * could not be sent, except fields a decoder read, which it checked already (copies made with
 * {@link #addFrom} keep that; a field replaced by {@link #set} loses it).
 */
public final class HttpHeaders {

    private static final String[] NONE = {};

    private String[] names = NONE;
    private String[] values = NONE;
    private int size;
    /**
     * Bit i: field i is known to be sendable as it is (a token name, a value of field characters
     * only), because the decoder checked it as it read it, so {@link HttpEncoder} need not check it
     * again. Only the first 64 fields are tracked; the encoder checks the others.
     */
    private long checked;
    /**
     * A two-bit Bloom filter of the names held ({@link #nameBits}): a lookup of a name whose bits
     * are not all set answers "absent" without comparing it with every field. Most lookups on the
     * proxy's path are for fields a message rarely has (Transfer-Encoding, Connection, Upgrade,
     * X-Forwarded-*, Via, Expect), so they cost a few instructions instead of a scan.
     */
    private long nameBits;

    public HttpHeaders() {
    }

    /** Empty, with room for {@code expectedSize} fields before it grows. */
    public HttpHeaders(int expectedSize) {
        if (expectedSize < 0) {
            throw new IllegalArgumentException("expectedSize must not be negative: " + expectedSize);
        }
        if (expectedSize > 0) {
            names = new String[expectedSize];
            values = new String[expectedSize];
        }
    }

    /** The first value of the named field, or null. */
    public String get(String name) {
        int index = indexOf(name, 0);
        return index < 0 ? null : values[index];
    }

    /** Every value of the named field, in order; empty when there is none. */
    public List<String> getAll(String name) {
        int index = indexOf(name, 0);
        if (index < 0) {
            return List.of();
        }
        List<String> all = new ArrayList<>(2);
        for (; index >= 0; index = indexOf(name, index + 1)) {
            all.add(values[index]);
        }
        return all;
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Appends a field, even when one of that name exists. */
    public HttpHeaders add(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (size == names.length) {
            int capacity = Math.max(8, size * 2);
            names = Arrays.copyOf(names, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        names[size] = name;
        values[size] = value;
        nameBits |= nameBits(name);
        if (size < Long.SIZE) {
            checked &= ~(1L << size);
        }
        size++;
        return this;
    }

    /**
     * Appends field {@code index} of {@code source}, as {@code add(source.nameAt(index),
     * source.valueAt(index))} would, but keeping what is known of it: a field a decoder checked is
     * not checked again when it is sent on.
     */
    public HttpHeaders addFrom(HttpHeaders source, int index) {
        add(source.nameAt(index), source.valueAt(index));
        if (index < Long.SIZE && (source.checked & 1L << index) != 0) {
            markChecked(size - 1);
        }
        return this;
    }

    /** Appends a field the decoder read and checked. */
    void addChecked(String name, String value) {
        add(name, value);
        markChecked(size - 1);
    }

    private void markChecked(int index) {
        if (index < Long.SIZE) {
            checked |= 1L << index;
        }
    }

    /** Whether field {@code index} is known to be sendable without a check. */
    boolean isChecked(int index) {
        return index < Long.SIZE && (checked & 1L << index) != 0;
    }

    /** Replaces every field of that name with one, where the first of them was; appends it if there was none. */
    public HttpHeaders set(String name, String value) {
        Objects.requireNonNull(value, "value");
        int index = indexOf(name, 0);
        if (index < 0) {
            return add(name, value);
        }
        names[index] = name;
        values[index] = value;
        if (index < Long.SIZE) {
            checked &= ~(1L << index);
        }
        removeFrom(name, index + 1);
        return this;
    }

    /** Removes every field of that name; true if there was one. */
    public boolean remove(String name) {
        return removeFrom(name, 0);
    }

    /** The number of fields, counting each occurrence of a name. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Every field in order, one call per occurrence. */
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** The distinct names (ignoring case), in order of first occurrence, spelt as first seen. */
    public List<String> names() {
        List<String> distinct = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (indexOf(names[i], 0) == i) {
                distinct.add(names[i]);
            }
        }
        return distinct;
    }

    /**
     * Whether any comma-separated element of any value of the named field equals {@code token},
     * ignoring ASCII case and the whitespace around elements: {@code Connection: close},
     * {@code Expect: 100-continue}.
     */
    public boolean containsToken(String name, String token) {
        for (int index = indexOf(name, 0); index >= 0; index = indexOf(name, index + 1)) {
            String value = values[index];
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int from = start;
                int to = end;
                while (from < to && Ascii.isWhitespace(value.charAt(from))) {
                    from++;
                }
                while (to > from && Ascii.isWhitespace(value.charAt(to - 1))) {
                    to--;
                }
                if (Ascii.equalsIgnoreCase(value, from, to, token)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    int count(String name) {
        int count = 0;
        for (int index = indexOf(name, 0); index >= 0; index = indexOf(name, index + 1)) {
            count++;
        }
        return count;
    }

    /** The name of the field at {@code index} (0 to {@link #size()} - 1), spelt as received. */
    public String nameAt(int index) {
        Objects.checkIndex(index, size);
        return names[index];
    }

    /** The value of the field at {@code index} (0 to {@link #size()} - 1). */
    public String valueAt(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    private int indexOf(String name, int from) {
        long bits = nameBits(name);
        if ((nameBits & bits) != bits) {
            return -1;
        }
        for (int i = from; i < size; i++) {
            if (Ascii.equalsIgnoreCase(names[i], name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean removeFrom(String name, int from) {
        int kept = from;
        long keptChecked = from >= Long.SIZE ? checked : checked & ((1L << from) - 1);
        long keptBits = 0;
        for (int i = 0; i < from; i++) {
            keptBits |= nameBits(names[i]);
        }
        for (int i = from; i < size; i++) {
            if (!Ascii.equalsIgnoreCase(names[i], name)) {
                keptBits |= nameBits(names[i]);
                if (isChecked(i) && kept < Long.SIZE) {
                    keptChecked |= 1L << kept;
                }
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        checked = keptChecked;
        nameBits = keptBits;
        boolean removed = kept < size;
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return removed;
    }

    /**
     * The two bits of {@link #nameBits} that stand for {@code name}, ignoring ASCII case: from its
     * length and its first, middle and last chars, mixed by a multiplication (Fibonacci hashing).
     */
    private static long nameBits(String name) {
        int length = name.length();
        if (length == 0) {
            return 0;
        }
        int mixed = (((length * 31 + Ascii.toLower(name.charAt(0))) * 31 + Ascii.toLower(name.charAt(length >> 1))) * 31
                + Ascii.toLower(name.charAt(length - 1))) * 0x9E3779B9;
        return 1L << (mixed >>> 26) | 1L << (mixed >>> 20);
    }

    /** Equal when both hold the same fields, names spelt alike, in the same order. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HttpHeaders that) || that.size != size) {
            return false;
        }
        return Arrays.equals(names, 0, size, that.names, 0, size) && Arrays.equals(values, 0, size, that.values, 0, size);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < size; i++) {
            hash = 31 * (31 * hash + names[i].hashCode()) + values[i].hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            text.append(i == 0 ? "" : ", ").append(names[i]).append(": ").append(values[i]);
        }
        return text.append(']').toString();
    }
}
