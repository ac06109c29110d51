package dev.linnet.engine.tokenizer;

import java.util.Arrays;

/**
 * The vocabulary's tokens of at most 7 bytes, keyed by their bytes packed into a long: a whole-piece
 * lookup (ignore_merges) for short pieces without building a string.
 */
final class ShortTokenTable {
    static final int MAX_BYTES = 7;
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ids;
    private final int mask;

    ShortTokenTable(byte[][] tokenBytes) {
        int count = 0;
        for (byte[] t : tokenBytes) {
            if (t != null && t.length <= MAX_BYTES) {
                count++;
            }
        }
        int cap = Integer.highestOneBit(Math.max(16, count * 2 + 1) - 1) << 1;
        keys = new long[cap];
        ids = new int[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
        for (int id = 0; id < tokenBytes.length; id++) {
            byte[] t = tokenBytes[id];
            if (t != null && t.length <= MAX_BYTES) {
                long k = pack(t, t.length);
                int i = slot(k);
                while (keys[i] != EMPTY && keys[i] != k) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                ids[i] = id;
            }
        }
    }

    /** bytes[0, n) (n <= 7) with its length in the top byte: distinct for distinct byte strings. */
    static long pack(byte[] bytes, int n) {
        long k = (long) n << 56;
        for (int i = 0; i < n; i++) {
            k |= (bytes[i] & 0xFFL) << (8 * i);
        }
        return k;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 31)) & mask;
    }

    /** The id of the token that is exactly bytes[0, n), or -1. */
    int get(byte[] bytes, int n) {
        long k = pack(bytes, n);
        int i = slot(k);
        while (true) {
            long kk = keys[i];
            if (kk == k) {
                return ids[i];
            }
            if (kk == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }
}
