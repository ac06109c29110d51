package dev.linnet.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only list of ints kept in fixed-size blocks: growing never copies, so collecting the ids of a
 * huge record needs them once plus the final array, not three times over as a doubling array would.
 */
final class IntBlocks {
    private static final int BLOCK = 1 << 16;

    private final List<int[]> full = new ArrayList<>();
    private int[] current = new int[64];
    private int used;
    private long size;

    void add(int v) {
        if (used == current.length) {
            if (current.length < BLOCK) {
                current = java.util.Arrays.copyOf(current, Math.min(BLOCK, current.length * 4));
            } else {
                full.add(current);
                current = new int[BLOCK];
                used = 0;
            }
        }
        current[used++] = v;
        size++;
    }

    int[] toArray() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " tokens in one encoding");
        }
        int[] out = new int[(int) size];
        int p = 0;
        for (int[] b : full) {
            System.arraycopy(b, 0, out, p, b.length);
            p += b.length;
        }
        System.arraycopy(current, 0, out, p, used);
        return out;
    }
}
