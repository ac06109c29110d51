package dev.linnet.engine.history;

/**
 * One context order's table: a context of {@code k} tokens hashes to a slot holding a check and up to
 * {@code width} (token, count) pairs of what followed it. Its prediction interpolates the counts with the order
 * below (absolute discounting): p(t) = (max(c(t) - d, 0) + (alpha + d u) p_below(t)) / (n + alpha), n the counts'
 * sum and u the tokens counted. The pairs the prediction reads are the ones it sums, so it stays normalised
 * whatever the table has forgotten.
 */
final class ContextCounts {
    private ContextCounts() {}

    /** The hash of the {@code k} tokens before {@code position} (oldest first), read from the ring. */
    static int hash(int[] ring, long position, int k, int seed) {
        int mask = ring.length - 1;
        int h = seed;
        for (long p = position - k; p < position; p++) h = mix(h, ring[(int) (p & mask)]);
        return h;
    }

    /** The hash of the tokens {@code offsets} back from {@code position} (farthest first), read from the ring. */
    static int hashAt(int[] ring, long position, int[] offsets, int seed) {
        int mask = ring.length - 1;
        int h = seed;
        for (int j = offsets.length - 1; j >= 0; j--) h = mix(h, ring[(int) ((position - offsets[j]) & mask)]);
        return h;
    }

    static int mix(int h, int x) {
        h = (h ^ x) * 0x9E3779B1;
        return h ^ (h >>> 15);
    }

    static int slot(int hash, int slotBits) {
        return hash & ((1 << slotBits) - 1);
    }

    /** Never 0, which marks an empty slot. */
    static int check(int hash) {
        return (hash >>> 16) | 1;
    }

    /**
     * The interpolated probability of {@code token} given the order below's, or -1 when the slot holds no counts
     * for this context.
     */
    static double predict(
            int[] checks,
            int[] entries,
            int slot,
            int check,
            int width,
            int token,
            double below,
            double alpha,
            double discount) {
        if (checks[slot] != check) return -1;
        int n = 0, u = 0, c = 0;
        for (int w = slot * width, end = w + width; w < end; w++) {
            int e = entries[w];
            int count = e & 0xff;
            if (count == 0) continue;
            n += count;
            u++;
            if ((e >>> 8) - 1 == token) c = count;
        }
        if (n == 0) return -1;
        return (Math.max(c - discount, 0) + (alpha + discount * u) * below) / (n + alpha);
    }

    /** Whether the slot holds counts for this context (so that {@link #predict} gives a probability). */
    static boolean counted(int[] checks, int[] entries, int slot, int check, int width) {
        if (checks[slot] != check) return false;
        for (int w = slot * width, end = w + width; w < end; w++) if ((entries[w] & 0xff) != 0) return true;
        return false;
    }

    /** Writes the slot's counts into {@code counts} by token (which must be zero there); returns their sum. */
    static int fill(int[] entries, int slot, int width, double[] counts) {
        int n = 0;
        for (int w = slot * width, end = w + width; w < end; w++) {
            int e = entries[w];
            int count = e & 0xff;
            int token = (e >>> 8) - 1;
            if (count == 0) continue;
            n += count; // summed as predict sums it, whatever the entry's token
            if (token >= 0 && token < counts.length) counts[token] = count;
        }
        return n;
    }

    /** The number of tokens the slot counts. */
    static int distinct(int[] entries, int slot, int width) {
        int u = 0;
        for (int w = slot * width, end = w + width; w < end; w++) if ((entries[w] & 0xff) != 0) u++;
        return u;
    }

    /** Zeroes what {@link #fill} wrote. */
    static void clear(int[] entries, int slot, int width, double[] counts) {
        for (int w = slot * width, end = w + width; w < end; w++) {
            int token = (entries[w] >>> 8) - 1;
            if (token >= 0 && token < counts.length) counts[token] = 0;
        }
    }

    /** Counts {@code token} after the context, taking the slot over if another context held it. */
    static void update(int[] checks, int[] entries, int slot, int check, int width, int token) {
        int base = slot * width;
        if (checks[slot] != check) {
            checks[slot] = check;
            java.util.Arrays.fill(entries, base, base + width, 0);
        }
        int packed = (token + 1) << 8;
        int weakest = base;
        for (int w = base; w < base + width; w++) {
            int e = entries[w];
            if ((e & ~0xff) == packed) {
                if ((e & 0xff) == HistoryConfig.MAX_COUNT) {
                    for (int v = base; v < base + width; v++) {
                        int f = entries[v];
                        entries[v] = (f & ~0xff) | ((f & 0xff) >>> 1);
                    }
                    e = entries[w];
                }
                entries[w] = e + 1;
                return;
            }
            if ((e & 0xff) < (entries[weakest] & 0xff)) weakest = w;
        }
        entries[weakest] = packed | 1;
    }
}
