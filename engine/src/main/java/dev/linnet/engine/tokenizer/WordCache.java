package dev.linnet.engine.tokenizer;

import java.util.Arrays;

/**
 * Remembers the ids of pieces already encoded by one thread (log lines repeat their words endlessly).
 * Keyed by the piece's characters and its prefix-space flag, looked up without building a string. When
 * full it starts over, so a change in the traffic refills it.
 */
final class WordCache {
    static final int MAX_KEY_CHARS = 48;

    private final String[] keys;
    private final boolean[] prefixed;
    private final int[] hashes;
    private final int[][] values;
    private final int mask;
    private final int maxEntries;
    private int size;

    WordCache(int slots) {
        int cap = Integer.highestOneBit(slots - 1) << 1;
        keys = new String[cap];
        prefixed = new boolean[cap];
        hashes = new int[cap];
        values = new int[cap][];
        mask = cap - 1;
        maxEntries = cap / 2;
    }

    static int hash(String text, int start, int end, boolean prefix) {
        int h = prefix ? 0x5bd1e995 : 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    /** The cached ids of text[start, end) (with the prefix flag), or null. */
    int[] get(String text, int start, int end, boolean prefix, int hash) {
        int i = hash & mask;
        int len = end - start;
        while (true) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (hashes[i] == hash
                    && prefixed[i] == prefix
                    && k.length() == len
                    && k.regionMatches(0, text, start, len)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
    }

    void put(String text, int start, int end, boolean prefix, int hash, int[] ids) {
        if (size >= maxEntries) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            size = 0;
        }
        int i = hash & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = text.substring(start, end);
        prefixed[i] = prefix;
        hashes[i] = hash;
        values[i] = ids;
        size++;
    }
}
