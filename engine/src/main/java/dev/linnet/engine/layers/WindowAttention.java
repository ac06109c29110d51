package dev.linnet.engine.layers;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import dev.linnet.engine.kernels.Workspace;
import java.util.List;

/**
 * Softmax attention with grouped-query heads and RoPE, restricted to the last {@code window} positions
 * (the current one included). A stream keeps the keys (already rotated) and values of its last window
 * positions in a ring indexed by position mod window, so a chunk never needs the stream's history.
 */
public final class WindowAttention {
    private static final Workspace.Slot QUERIES = Workspace.slot("window: queries");
    private static final Workspace.Slot KEYS = Workspace.slot("window: keys");
    private static final Workspace.Slot VALUES = Workspace.slot("window: values");
    private static final Workspace.Slot HEADS = Workspace.slot("window: heads' output");
    private static final Workspace.Slot WINDOW_SEEN_KEYS_T =
            Workspace.slot("window worker: keys a stream's chunk sees, transposed");
    private static final Workspace.Slot WINDOW_SEEN_VALUES =
            Workspace.slot("window worker: values a stream's chunk sees");
    private static final Workspace.Slot WINDOW_KEYS_T = Workspace.slot("window worker: keys transposed");
    private static final Workspace.Slot WINDOW_VALUES = Workspace.slot("window worker: values");
    private static final Workspace.Slot WINDOW_QUERIES = Workspace.slot("window worker: queries");
    private static final Workspace.Slot WINDOW_PROBS = Workspace.slot("window worker: probabilities");
    private static final Workspace.Slot WINDOW_OUT = Workspace.slot("window worker: outputs");
    private final Matrix qProj; // [heads * d, hidden]
    private final Matrix kProj; // [kvHeads * d, hidden]
    private final Matrix vProj;
    private final Matrix oProj; // [hidden, heads * d]
    private final Rope rope;
    private final int heads;
    private final int kvHeads;
    private final int d;
    private final int window;
    private final float scale;

    public WindowAttention(
            Matrix qProj,
            Matrix kProj,
            Matrix vProj,
            Matrix oProj,
            Rope rope,
            int heads,
            int kvHeads,
            int headDim,
            int window) {
        this.qProj = qProj;
        this.kProj = kProj;
        this.vProj = vProj;
        this.oProj = oProj;
        this.rope = rope;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.d = headDim;
        this.window = window;
        this.scale = (float) (1.0 / Math.sqrt(headDim));
    }

    /** Queries taken together against their keys: the keys of a block span window - 1 + this many positions. */
    static final int QUERY_BLOCK = 64;

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Floats of one ring (keys or values) for one stream. */
    public int ringSize() {
        return window * kvHeads * d;
    }

    /**
     * @param keys   per segment, that stream's key ring [window, kvHeads * d] (updated in place)
     * @param values per segment, its value ring
     */
    public void forward(
            Kernels k, float[] x, int rows, List<Segment> segments, float[][] keys, float[][] values, float[] y) {
        int qw = heads * d;
        int kvw = kvHeads * d;
        Workspace ws = Workspace.ofThread();
        float[] q = ws.floats(QUERIES, rows * qw);
        float[] kk = ws.floats(KEYS, rows * kvw);
        float[] v = ws.floats(VALUES, rows * kvw);
        k.matmul(x, rows, qProj, q);
        k.matmul(x, rows, kProj, kk);
        k.matmul(x, rows, vProj, v);

        float[] cs = new float[rope.tableSize()];
        for (Segment seg : segments) {
            for (int t = 0; t < seg.length(); t++) {
                rope.angles(seg.position() + t, cs);
                int r = seg.rowStart() + t;
                rope.rotate(q, r * qw, heads, cs);
                rope.rotate(kk, r * kvw, kvHeads, cs);
            }
        }

        float[] attn = ws.floats(HEADS, rows * qw);
        int group = heads / kvHeads;
        // the most keys any block of this batch sees: a young stream's blocks see only what it has
        long most = 1;
        for (Segment seg : segments) {
            most = Math.max(
                    most, Math.min(window - 1L, seg.position() + seg.length()) + Math.min(QUERY_BLOCK, seg.length()));
        }
        int maxKeys = roundUp((int) most, 64);
        int maxQueries = 1;
        for (Segment seg : segments) maxQueries = Math.max(maxQueries, Math.min(QUERY_BLOCK, seg.length()));
        // independent units of work: (stream, key/value head, run of blocks of queries); each writes only its own
        // rows and heads of attn and reads only its own stream's ring, so they may run on any thread in any order. A
        // unit gathers the keys its run sees once for all its blocks; a stream's heads are cut into runs only where
        // they are fewer than the threads
        int threads = k.taskThreads();
        int pairs = segments.size() * kvHeads;
        int runsPerPair = Math.max(1, (threads + pairs - 1) / pairs);
        List<int[]> units = new java.util.ArrayList<>();
        long mostSeen = 1; // the most keys one unit's queries see: the window's older part and its run of the chunk
        for (int s = 0; s < segments.size(); s++) {
            Segment seg = segments.get(s);
            int blocks = (seg.length() + QUERY_BLOCK - 1) / QUERY_BLOCK;
            int runs = Math.max(1, Math.min(blocks, runsPerPair));
            for (int r = 0; r < runs; r++) {
                int t0 = blocks * r / runs * QUERY_BLOCK;
                int t1 = Math.min(seg.length(), blocks * (r + 1) / runs * QUERY_BLOCK);
                mostSeen = Math.max(mostSeen, Math.min(window - 1L, seg.position() + t0) + (t1 - t0));
                for (int g = 0; g < kvHeads; g++) units.add(new int[] {s, g, t0, t1});
            }
        }
        int workers = Math.max(1, Math.min(units.size(), threads));
        int keySpan = maxKeys, querySpan = maxQueries, seenSpan = (int) mostSeen;
        k.forEachTask(workers, w -> {
            Scratch scratch = new Scratch(Workspace.ofThread(), d, keySpan, group * querySpan, seenSpan);
            for (int u = w; u < units.size(); u += workers) {
                int[] unit = units.get(u);
                int s = unit[0], g = unit[1], from = unit[2], to = unit[3];
                Segment seg = segments.get(s);
                long first = gatherKeys(seg, from, to, keys[s], values[s], g, kk, v, scratch);
                for (int t0 = from; t0 < to; t0 += QUERY_BLOCK) {
                    attendBlock(k, seg, first, t0, g, q, attn, scratch);
                }
            }
        });
        for (int s = 0; s < segments.size(); s++) {
            Segment seg = segments.get(s);
            long p0 = seg.position();
            // only now may the chunk overwrite the ring: its own queries read the older entries above
            long first = Math.max(p0, p0 + seg.length() - window);
            for (long pp = first; pp < p0 + seg.length(); pp++) {
                int src = (seg.rowStart() + (int) (pp - p0)) * kvw;
                int dst = (int) (pp % window) * kvw;
                System.arraycopy(kk, src, keys[s], dst, kvw);
                System.arraycopy(v, src, values[s], dst, kvw);
            }
        }
        k.matmul(attn, rows, oProj, y);
    }

    /**
     * Buffers of one worker, from its thread's workspace: one stream's keys seen by its chunk, transposed, and their
     * values, for one key/value head; then a block's keys transposed, values, the group's queries, their
     * probabilities and outputs.
     */
    private static final class Scratch {
        final float[] seenT;
        final float[] seenValues;
        final int seenStride;
        final float[] keysT;
        final float[] vals;
        final float[] qs;
        final float[] probs;
        final float[] outs;

        Scratch(Workspace ws, int d, int maxKeys, int maxRows, int seenSpan) {
            seenT = ws.floats(WINDOW_SEEN_KEYS_T, d * seenSpan); // [d, seenSpan]: one column per position
            seenValues = ws.floats(WINDOW_SEEN_VALUES, seenSpan * d); // [seenSpan, d]
            seenStride = seenSpan;
            keysT = ws.floats(WINDOW_KEYS_T, d * maxKeys); // [d, keys]: one column per position
            vals = ws.floats(WINDOW_VALUES, maxKeys * d); // [keys, d]
            qs = ws.floats(WINDOW_QUERIES, maxRows * d);
            probs = ws.floats(WINDOW_PROBS, maxRows * maxKeys);
            outs = ws.floats(WINDOW_OUT, maxRows * d);
        }
    }

    /**
     * Transposes the keys and copies the values of every position the segment's queries from..to see, for key/value
     * head g, into the scratch's seen arrays (positions from the returned one on), once for all their blocks.
     */
    private long gatherKeys(
            Segment seg, int from, int to, float[] ringK, float[] ringV, int g, float[] kk, float[] v, Scratch sc) {
        int kvw = kvHeads * d;
        long p0 = seg.position();
        long lo = Math.max(0, p0 + from - window + 1);
        int m = (int) (p0 + to - lo);
        int stride = sc.seenStride;
        float[] kt = sc.seenT, vals = sc.seenValues;
        for (int j = 0; j < m; j++) {
            long pp = lo + j;
            float[] ks = pp < p0 ? ringK : kk;
            float[] vs = pp < p0 ? ringV : v;
            int off = (pp < p0 ? (int) (pp % window) : seg.rowStart() + (int) (pp - p0)) * kvw + g * d;
            for (int c = 0; c < d; c++) kt[c * stride + j] = ks[off + c];
            System.arraycopy(vs, off, vals, j * d, d);
        }
        return lo;
    }

    /**
     * One block of up to QUERY_BLOCK queries of one stream, for the query heads of key/value head g, against the keys
     * and values {@link #gatherKeys} left in the scratch (from position first on).
     */
    private void attendBlock(Kernels k, Segment seg, long first, int t0, int g, float[] q, float[] attn, Scratch sc) {
        int qw = heads * d;
        int group = heads / kvHeads;
        long p0 = seg.position();
        int nq = Math.min(QUERY_BLOCK, seg.length() - t0);
        // the keys this block of queries can see, in position order: ring first, then the chunk
        long lo = Math.max(0, p0 + t0 - window + 1);
        long hi = p0 + t0 + nq - 1;
        int m = (int) (hi - lo + 1);
        int mp = roundUp(m, 64); // padded with zero keys and values, masked below
        float[] keysT = sc.keysT, vals = sc.vals, qs = sc.qs, probs = sc.probs, outs = sc.outs;
        int from = (int) (lo - first), stride = sc.seenStride;
        for (int c = 0; c < d; c++) {
            System.arraycopy(sc.seenT, c * stride + from, keysT, c * mp, m);
            java.util.Arrays.fill(keysT, c * mp + m, (c + 1) * mp, 0f);
        }
        System.arraycopy(sc.seenValues, from * d, vals, 0, m * d);
        java.util.Arrays.fill(vals, m * d, mp * d, 0f);
        for (int hl = 0; hl < group; hl++) {
            for (int i = 0; i < nq; i++) {
                System.arraycopy(q, (seg.rowStart() + t0 + i) * qw + (g * group + hl) * d, qs, (hl * nq + i) * d, d);
            }
        }
        int nrows = group * nq;
        k.matmulNoTranspose(qs, 0, nrows, keysT, 0, d, mp, probs, 0);
        for (int r = 0; r < nrows; r++) {
            long p = p0 + t0 + (r % nq);
            int a = (int) (Math.max(lo, p - window + 1) - lo);
            int b = (int) (p - lo);
            int base = r * mp;
            java.util.Arrays.fill(probs, base, base + a, 0f);
            k.scale(probs, base + a, b - a + 1, scale);
            k.softmax(probs, base + a, b - a + 1);
            java.util.Arrays.fill(probs, base + b + 1, base + mp, 0f);
        }
        // masked positions hold exact zeros, which leave the sequential sums unchanged
        k.matmulNoTranspose(probs, 0, nrows, vals, 0, mp, d, outs, 0);
        for (int hl = 0; hl < group; hl++) {
            for (int i = 0; i < nq; i++) {
                System.arraycopy(
                        outs, (hl * nq + i) * d, attn, (seg.rowStart() + t0 + i) * qw + (g * group + hl) * d, d);
            }
        }
    }
}
