package dev.linnet.engine.tokenizer;

import java.util.Arrays;

/** A growable list of ints without boxing: token ids and offsets of one encoding. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
        values = new int[Math.max(capacity, 4)];
    }

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, grownCapacity(size + 1));
        }
        values[size++] = v;
    }

    void addAll(int[] src, int from, int to) {
        int n = to - from;
        if (size + n > values.length) {
            values = Arrays.copyOf(values, grownCapacity(size + n));
        }
        System.arraycopy(src, from, values, size, n);
        size += n;
    }

    void addAll(int[] src) {
        addAll(src, 0, src.length);
    }

    int get(int i) {
        return values[i];
    }

    void set(int i, int v) {
        values[i] = v;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }

    private int grownCapacity(int needed) {
        // grow by half: a 10 MB record's ids should not sit in an array twice their size
        long c = Math.max((long) values.length + (values.length >> 1), needed);
        if (c > Integer.MAX_VALUE - 8) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " tokens in one encoding");
            }
            c = Integer.MAX_VALUE - 8;
        }
        return (int) c;
    }
}
