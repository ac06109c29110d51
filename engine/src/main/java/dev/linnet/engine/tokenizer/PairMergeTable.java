package dev.linnet.engine.tokenizer;

import java.util.Arrays;

/**
 * BPE merges as an open-addressing hash table from a pair of token ids to (rank, merged id), without
 * boxing: the merge loop looks a pair up for every step.
 */
final class PairMergeTable {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private int size;

    PairMergeTable(int expectedPairs) {
        int cap = Integer.highestOneBit(Math.max(16, expectedPairs * 2 + 1) - 1) << 1;
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    private static long key(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** Sets (left, right) to merge into {@code merged} with this rank; a later entry replaces an earlier one. */
    void put(int left, int right, int rank, int merged) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != EMPTY && keys[i] != k) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            if (++size * 2 > keys.length) {
                throw new IllegalStateException("merge table over capacity");
            }
            keys[i] = k;
        }
        values[i] = (long) rank << 32 | (merged & 0xFFFFFFFFL);
    }

    /** (rank << 32 | merged id) for the pair, or -1 if the pair does not merge. */
    long get(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        while (true) {
            long kk = keys[i];
            if (kk == k) {
                return values[i];
            }
            if (kk == EMPTY) {
                return -1L;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }
}
