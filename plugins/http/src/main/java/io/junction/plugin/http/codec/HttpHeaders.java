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
 * could not be sent.
 */
public final class HttpHeaders {

    private static final String[] NONE = {};

    private String[] names = NONE;
    private String[] values = NONE;
    private int size;

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
        size++;
        return this;
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

    String nameAt(int index) {
        return names[index];
    }

    String valueAt(int index) {
        return values[index];
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            if (Ascii.equalsIgnoreCase(names[i], name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean removeFrom(String name, int from) {
        int kept = from;
        for (int i = from; i < size; i++) {
            if (!Ascii.equalsIgnoreCase(names[i], name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        boolean removed = kept < size;
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return removed;
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
