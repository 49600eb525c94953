package io.junction.plugin.http.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.netty.util.concurrent.FastThreadLocal;
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
 * <p>
 * A field a decoder read is held as its line's bytes, {@code name: value CRLF}, in a block shared by
 * the section and its copies ({@link #addRaw}); its name and value become Strings only when asked
 * for, and the encoder copies the line as it is. Most fields of a proxied message are only passed
 * on, so they are neither decoded to Strings nor encoded again. The block is written only while the
 * decoder fills its section, never after: copies may share it.
 */
public final class HttpHeaders {

    private static final String[] NONE = {};
    private static final int[] NO_SPANS = {};
    /** A span start: the field is held as Strings only. */
    private static final int NOT_RAW = -1;
    /**
     * The block a section's lines are appended to while its decoder reads them, one per thread:
     * {@link #keepLines()} then copies them into a block of their exact size, so a section costs
     * one allocation of the size of its fields. A block grown beyond {@link LineReader#KEPT_SCRATCH}
     * for an unusually large head is not kept.
     */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[2048];
        }
    };

    /** Name of field i; null while a field held as bytes has not been asked for its name. */
    private String[] names = NONE;
    /** Value of field i; null while a field held as bytes has not been asked for its value. */
    private String[] values = NONE;
    /**
     * Three ints per field: where its line starts in {@link #raw} ({@link #NOT_RAW} for a field held
     * as Strings only), the length of its name, and where the line ends (after its CRLF).
     */
    private int[] spans = NO_SPANS;
    /** The lines of fields read from the wire; shared with copies, written only by {@link #addRaw}. */
    private byte[] raw;
    /** Bytes of {@link #raw} in use; -1 once the block may be shared (no more lines are appended). */
    private int rawLength;
    /** Whether {@link #raw} is the thread's scratch block, until {@link #keepLines()}. */
    private boolean rawIsScratch;
    private int size;
    /**
     * Bit i: field i is known to be sendable as it is (a token name, a value of field characters
     * only), because the decoder checked it as it read it, so {@link HttpEncoder} need not check it
     * again. Only the first 64 fields are tracked; the encoder checks the others.
     */
    private long checked;
    /**
     * A two-bit Bloom filter of the names held, and of names removed since ({@link #nameBits}): a lookup
     * of a name whose bits are not all set answers "absent" without comparing it with every field. Most lookups on the
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
            spans = new int[expectedSize * 3];
        }
    }

    /** The first value of the named field, or null. */
    public String get(String name) {
        int index = indexOf(name, 0);
        return index < 0 ? null : value(index);
    }

    /** Every value of the named field, in order; empty when there is none. */
    public List<String> getAll(String name) {
        int index = indexOf(name, 0);
        if (index < 0) {
            return List.of();
        }
        List<String> all = new ArrayList<>(2);
        for (; index >= 0; index = indexOf(name, index + 1)) {
            all.add(value(index));
        }
        return all;
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** The index of the first field of that name at or after {@code from}, or -1. */
    public int next(String name, int from) {
        return indexOf(name, from);
    }

    /** Appends a field, even when one of that name exists. */
    public HttpHeaders add(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        grow();
        names[size] = name;
        values[size] = value;
        spans[size * 3] = NOT_RAW;
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
        Objects.checkIndex(index, source.size);
        source.keepLines();
        int start = source.spans[index * 3];
        if (start != NOT_RAW && (raw == null || raw == source.raw)) { // share the line, as bytes
            source.rawLength = -1;
            raw = source.raw;
            rawLength = -1;
            grow();
            names[size] = source.names[index];
            values[size] = source.values[index];
            System.arraycopy(source.spans, index * 3, spans, size * 3, 3);
            nameBits |= nameBits(raw, start, source.spans[index * 3 + 1]);
            markChecked(size);
            size++;
            return this;
        }
        add(source.nameAt(index), source.valueAt(index));
        if (index < Long.SIZE && (source.checked & 1L << index) != 0) {
            markChecked(size - 1);
        }
        return this;
    }

    /**
     * Appends a field the decoder read and checked, held as bytes: the name {@code line[from, from +
     * nameLength)} and the value {@code line[valueStart, valueEnd)} (without the whitespace around it).
     * Only for the decoder filling a section of its own, before anyone else sees it.
     */
    void addRaw(byte[] line, int from, int nameLength, int valueStart, int valueEnd) {
        int valueLength = valueEnd - valueStart;
        int lineLength = nameLength + valueLength + 4;
        if (raw == null) {
            raw = SCRATCH.get();
            rawIsScratch = true;
            rawLength = 0;
        } else if (rawLength < 0) {
            throw new IllegalStateException("the lines of this section are shared by a copy");
        }
        if (raw.length - rawLength < lineLength) {
            raw = Arrays.copyOf(raw, Math.max(raw.length * 2, rawLength + lineLength));
            if (rawIsScratch && raw.length <= LineReader.KEPT_SCRATCH) {
                SCRATCH.set(raw);
            }
        }
        byte[] block = raw;
        int start = rawLength;
        System.arraycopy(line, from, block, start, nameLength);
        int p = start + nameLength;
        block[p++] = ':';
        block[p++] = ' ';
        System.arraycopy(line, valueStart, block, p, valueLength);
        p += valueLength;
        block[p++] = '\r';
        block[p++] = '\n';
        rawLength = p;
        grow();
        names[size] = null;
        values[size] = null;
        int span = size * 3;
        spans[span] = start;
        spans[span + 1] = nameLength;
        spans[span + 2] = p;
        nameBits |= nameBits(block, start, nameLength);
        markChecked(size);
        size++;
    }

    /**
     * Moves the lines appended so far out of the thread's scratch block into one of their own. The
     * decoder calls it before it returns, section complete or not: the scratch block is the next
     * section's, perhaps another connection's.
     */
    void keepLines() {
        if (rawIsScratch) {
            raw = Arrays.copyOf(raw, rawLength);
            rawIsScratch = false;
        }
    }

    private void grow() {
        if (size == names.length) {
            int capacity = Math.max(8, size * 2);
            names = Arrays.copyOf(names, capacity);
            values = Arrays.copyOf(values, capacity);
            spans = Arrays.copyOf(spans, capacity * 3);
        }
    }

    /** The lines of fields held as bytes ({@link #rawStart}); null when there are none. */
    byte[] raw() {
        return raw;
    }

    /** Where the line {@code name: value CRLF} of field {@code index} starts in {@link #raw()}; -1 unless it is held as bytes. */
    int rawStart(int index) {
        return spans[index * 3];
    }

    /** Where the line of field {@code index}, held as bytes, ends in {@link #raw()}: after its CRLF. */
    int rawEnd(int index) {
        return spans[index * 3 + 2];
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
        spans[index * 3] = NOT_RAW;
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
            action.accept(name(i), value(i));
        }
    }

    /** The distinct names (ignoring case), in order of first occurrence, spelt as first seen. */
    public List<String> names() {
        List<String> distinct = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String name = name(i);
            if (indexOf(name, 0) == i) {
                distinct.add(name);
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
            String value = value(index);
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
        return name(index);
    }

    /** The value of the field at {@code index} (0 to {@link #size()} - 1). */
    public String valueAt(int index) {
        Objects.checkIndex(index, size);
        return value(index);
    }

    /** The length of the name of the field at {@code index}, without making it a String. */
    public int nameLength(int index) {
        Objects.checkIndex(index, size);
        String name = names[index];
        return name != null ? name.length() : spans[index * 3 + 1];
    }

    /**
     * Whether the value of the field at {@code index} is {@code text} (which has no upper-case letters), ignoring
     * ASCII case, without making the value a String.
     */
    public boolean valueIs(int index, String text) {
        Objects.checkIndex(index, size);
        String held = values[index];
        if (held != null) {
            return Ascii.equalsIgnoreCase(held, text);
        }
        int span = index * 3;
        int valueStart = spans[span] + spans[span + 1] + 2;
        return spans[span + 2] - 2 - valueStart == text.length() && Ascii.equalsIgnoreCase(raw, valueStart, text);
    }

    /** Whether the field at {@code index} has that name, ignoring ASCII case, without making its name a String. */
    public boolean nameIs(int index, String name) {
        Objects.checkIndex(index, size);
        return sameName(index, name);
    }

    private String name(int index) {
        String name = names[index];
        if (name == null) {
            int start = spans[index * 3];
            name = new String(raw, start, spans[index * 3 + 1], ISO_8859_1);
            names[index] = name;
        }
        return name;
    }

    private String value(int index) {
        String value = values[index];
        if (value == null) {
            int span = index * 3;
            int valueStart = spans[span] + spans[span + 1] + 2;
            value = new String(raw, valueStart, spans[span + 2] - 2 - valueStart, ISO_8859_1);
            values[index] = value;
        }
        return value;
    }

    private boolean sameName(int index, String name) {
        String held = names[index];
        if (held != null) {
            return Ascii.equalsIgnoreCase(held, name);
        }
        return spans[index * 3 + 1] == name.length() && Ascii.equalsIgnoreCase(raw, spans[index * 3], name);
    }

    private int indexOf(String name, int from) {
        long bits = nameBits(name);
        if ((nameBits & bits) != bits) {
            return -1;
        }
        for (int i = from; i < size; i++) {
            if (sameName(i, name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean removeFrom(String name, int from) {
        return compact(from, null, name);
    }

    /** Which fields {@link #removeIf} removes: field {@code index} of {@code headers}. */
    @FunctionalInterface
    public interface FieldTest {
        boolean test(HttpHeaders headers, int index);
    }

    /**
     * Removes, in place, the fields {@code drop} picks; each is tested once, in order, before any field
     * after it has moved. True if one was removed.
     */
    public boolean removeIf(FieldTest drop) {
        return compact(0, Objects.requireNonNull(drop, "drop"), null);
    }

    /**
     * Removes from {@code from} on the fields {@code drop} picks, or (drop null) those named {@code name};
     * nothing moves unless one goes. The name filter keeps the bits of removed names (a lookup of one
     * then scans, and finds nothing).
     */
    private boolean compact(int from, FieldTest drop, String name) {
        int first = from;
        while (first < size && !dropped(first, drop, name)) {
            first++;
        }
        if (first == size) {
            return false;
        }
        int kept = first;
        long keptChecked = first >= Long.SIZE ? checked : checked & ((1L << first) - 1);
        for (int i = first + 1; i < size; i++) {
            if (!dropped(i, drop, name)) {
                if (isChecked(i) && kept < Long.SIZE) {
                    keptChecked |= 1L << kept;
                }
                names[kept] = names[i];
                values[kept] = values[i];
                System.arraycopy(spans, i * 3, spans, kept * 3, 3);
                kept++;
            }
        }
        checked = keptChecked;
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return true;
    }

    private boolean dropped(int index, FieldTest drop, String name) {
        return drop == null ? sameName(index, name) : drop.test(this, index);
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
        return nameBits(length, name.charAt(0), name.charAt(length >> 1), name.charAt(length - 1));
    }

    /** {@link #nameBits(String)} of the name {@code bytes[from, from + length)}. */
    private static long nameBits(byte[] bytes, int from, int length) {
        if (length == 0) {
            return 0;
        }
        return nameBits(length, (char) (bytes[from] & 0xFF), (char) (bytes[from + (length >> 1)] & 0xFF),
                (char) (bytes[from + length - 1] & 0xFF));
    }

    private static long nameBits(int length, char first, char middle, char last) {
        int mixed = (((length * 31 + Ascii.toLower(first)) * 31 + Ascii.toLower(middle)) * 31 + Ascii.toLower(last)) * 0x9E3779B9;
        return 1L << (mixed >>> 26) | 1L << (mixed >>> 20);
    }


    /** Equal when both hold the same fields, names spelt alike, in the same order. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HttpHeaders that) || that.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!name(i).equals(that.name(i)) || !value(i).equals(that.value(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < size; i++) {
            hash = 31 * (31 * hash + name(i).hashCode()) + value(i).hashCode();
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            text.append(i == 0 ? "" : ", ").append(name(i)).append(": ").append(value(i));
        }
        return text.append(']').toString();
    }
}
