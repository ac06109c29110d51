package dev.linnet.engine.kernels;

import static jdk.incubator.vector.VectorOperators.LSHL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * out[n][rows] = x[n][cols] * W^T on 512-bit vectors, over the weights laid out as {@link Panels}.
 *
 * <p>The lanes of a vector are 16 consecutive output rows of one token. Each output element is the
 * plain sequential sum over the columns, s = fma(x[c], w[r, c], s) from s = 0, in every code path:
 * no horizontal reduction, so nothing depends on how tokens and rows are grouped (the determinism
 * contract) and the result equals {@link ScalarKernels} bit for bit.
 *
 * <p>Paths: tiles of 6 and 4 tokens x 4 panels (24 or 16 accumulators; per column 4 panel loads and a
 * broadcast a token) for batches; 1 token x 8 float panels for calls of fewer than 4 tokens (the weights streamed
 * once); 1 token x 4 panels for leftover tokens and for 16-bit weights in calls of fewer than 8 tokens (bfloat16
 * widened in registers: one int load, a shift and a mask give two columns); 6 x 1 and 1 x 1 for leftover panels. For
 * batches of bfloat16 weights, a group of 4 panels is widened once into the thread's float scratch, which stays
 * in L2 while all tokens pass over it. Calls with many flops or large weights are split over panel groups between
 * {@link KernelThreads}, or over tokens where the panel groups are too few to share. A call allocates nothing.
 *
 * <p>The plain product (a right-hand matrix read as it is) has two causal forms for an attention block: scores whose
 * upper triangle is not needed (a panel group starts at its first row on or below the diagonal) and a lower-triangular
 * left operand (a tile's sums stop after its last row's own index). Both skip about half the work of a square block.
 *
 * <p>Experts: row blocks against their own matrices run in one parallel call; their gate-and-up products take a gate
 * panel group and its up group together, tile by tile, and write SwiGLU of the two, never the products themselves.
 */
final class VectorMatmul {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final int H = Panels.HEIGHT;
    private static final int GROUP = 4;

    /** Below this many flops a call stays on the calling thread (handing work over costs microseconds)... */
    static final long PARALLEL_FLOPS = 1L << 20;
    /**
     * ...unless its weights take this many bytes: at one token such a product streams its weights from memory, and
     * two threads stream it faster than one.
     */
    static final long PARALLEL_BYTES = 256L << 10;
    /**
     * Token counts from which bfloat16 products that {@link #registerTiles} does not take are widened into scratch
     * (below, in registers, one token at a time), and from which fused SwiGLU takes an expert's rows.
     */
    private static final int WIDEN_FROM_TOKENS = 8;

    /**
     * Each thread's work arrays, kept between calls: a matmul allocates nothing (a call used to allocate and zero
     * its tile sums and, for 16-bit weights, a widened panel group of up to 256 KiB per task, hundreds of times a
     * forward pass: garbage for the collector and time zeroing memory).
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final float[] tmp = new float[6 * GROUP * H];
        final float[] tmp2 = new float[6 * GROUP * H];
        /** One accumulator's lanes, for {@link #fold}. */
        final float[] lanes = new float[H];

        private float[] wide = new float[0];

        /** A float array of at least n elements (its contents are garbage). */
        float[] wide(int n) {
            if (wide.length < n) {
                wide = new float[n];
            }
            return wide;
        }
    }

    /**
     * Tasks a large product is cut into, per thread: with two, a helper that joined late (parked between calls)
     * left the caller a quarter of the product alone; with eight the tail it waits for is small.
     */
    private static final int TASKS_PER_THREAD = 8;

    private VectorMatmul() {}

    /** Arguments are already checked. */
    static void matmul(float[] x, int xOff, int n, Matrix w, float[] out, int outOff) {
        if (n == 0) {
            return;
        }
        Panels pw = Panels.of(w);
        long flops = 2L * n * w.rows() * w.cols();
        int groups = (pw.count + GROUP - 1) / GROUP;
        int threads = KernelThreads.parallelism();
        boolean small = flops < PARALLEL_FLOPS && w.bytes() < PARALLEL_BYTES;
        if (!small && threads > 1 && groups < 2 * threads && n >= 12 * threads) {
            // too few panel groups to share (a router's one panel): share the tokens, in whole tiles of 6
            int blocks = (n + 5) / 6;
            int tasks = Math.min(blocks, TASKS_PER_THREAD * threads);
            KernelThreads.forEach(tasks, task -> {
                int t0 = 6 * (int) ((long) blocks * task / tasks);
                int t1 = Math.min(n, 6 * (int) ((long) blocks * (task + 1) / tasks));
                panelRange(x, xOff + t0 * pw.cols, t1 - t0, pw, out, outOff + t0 * pw.rows, 0, pw.count);
            });
            return;
        }
        int tasks = small || threads == 1 ? 1 : Math.min(groups, TASKS_PER_THREAD * threads);
        if (tasks == 1) {
            panelRange(x, xOff, n, pw, out, outOff, 0, pw.count);
            return;
        }
        KernelThreads.forEach(tasks, task -> {
            int p0 = (int) ((long) groups * task / tasks) * GROUP;
            int p1 = Math.min(pw.count, (int) ((long) groups * (task + 1) / tasks) * GROUP);
            panelRange(x, xOff, n, pw, out, outOff, p0, p1);
        });
    }

    /**
     * Row blocks against their own matrices of one shape, every block's panel groups in one parallel call
     * ({@link #forEachBlockTask}). Arguments are already checked.
     */
    static void matmulBlocks(float[] x, int[] start, Matrix[] w, float[] out) {
        int blocks = w.length;
        int rows = start[blocks];
        if (rows == 0) {
            return;
        }
        int cols = w[0].cols(), outRows = w[0].rows();
        int threads = KernelThreads.parallelism();
        long flops = 2L * rows * outRows * cols;
        if (threads == 1 || blocks == 1 || flops < PARALLEL_FLOPS * blocks) {
            for (int e = 0; e < blocks; e++) {
                int n = start[e + 1] - start[e];
                if (n > 0) matmul(x, start[e] * cols, n, w[e], out, start[e] * outRows);
            }
            return;
        }
        Panels[] pw = new Panels[blocks];
        for (int e = 0; e < blocks; e++) pw[e] = Panels.of(w[e]);
        int count = pw[0].count;
        forEachBlockTask(start, (count + GROUP - 1) / GROUP, (e, g0, g1) -> {
            int n = start[e + 1] - start[e];
            panelRange(x, start[e] * cols, n, pw[e], out, start[e] * outRows, g0 * GROUP, Math.min(count, g1 * GROUP));
        });
    }

    /** One task of a call over row blocks: block e's units (panel groups) u0 .. u1. */
    private interface BlockTask {
        void run(int e, int u0, int u1);
    }

    /**
     * Runs every block's units in one parallel call: {@link #TASKS_PER_THREAD} tasks a thread for each block, shared by
     * the blocks in proportion to their rows (tasks as fine as one call per block would make, without a wait for each
     * block's last task), each block's units cut evenly among its tasks.
     */
    private static void forEachBlockTask(int[] start, int units, BlockTask body) {
        int blocks = start.length - 1, rows = start[blocks];
        int threads = KernelThreads.parallelism();
        int[] first = new int[blocks + 1]; // block e's tasks are first[e] .. first[e + 1]
        for (int e = 0; e < blocks; e++) {
            int n = start[e + 1] - start[e];
            long share = n == 0 ? 0 : Math.max(1, Math.round((double) TASKS_PER_THREAD * threads * blocks * n / rows));
            first[e + 1] = first[e] + (int) Math.min(units, share);
        }
        KernelThreads.forEach(first[blocks], task -> {
            int e = 0;
            while (task >= first[e + 1]) e++;
            int tasks = first[e + 1] - first[e], j = task - first[e];
            body.run(e, (int) ((long) units * j / tasks), (int) ((long) units * (j + 1) / tasks));
        });
    }

    /**
     * Whether bfloat16 panels are widened in registers, 4 tokens at a time ({@link #tile4x4Bf16}), rather than a
     * panel group at a time into scratch for the float32 tiles: below {@link #REGISTER_TILES_BELOW} tokens, for
     * even widths. A widening pass reads its group's weights from memory with no arithmetic to hide the wait behind;
     * in registers the tiles read them as they go, as float32 panels are read, but widen them again for every 4
     * tokens. BF16/F32 in one JVM, the whole model: 1.02-1.03 against 0.93 at 64 tokens; at 512 the scratch path
     * (1.00 against 0.93).
     */
    private static boolean registerTiles(int n, int cols) {
        return n < REGISTER_TILES_BELOW && cols % 2 == 0;
    }

    /**
     * Token counts from which bfloat16 panels go through scratch and the float32 tiles. A 6-token register tile was
     * faster still (1.08 at 64 tokens, 1.04 at 512), but in 2 of 32 stress launches C2 compiled it, and the
     * single-token kernel beside it, into the Vector API's Java fallback for the whole run (53 MiB allocated a token,
     * a quarter of the speed). The 4-token tile holds fewer vector operations than the float32 6-token tile, which
     * has not been seen to fall back.
     */
    private static final int REGISTER_TILES_BELOW = 128;

    /**
     * Whether {@link #matmulBlocksSwiglu} takes these products: gate and up halves of whole panel groups (inter a
     * multiple of 64), float32 or bfloat16 panels, and every block with at least {@link #WIDEN_FROM_TOKENS} rows
     * (blocks of a token or two, as at one token, go through the products, then SwiGLU).
     */
    static boolean swigluFusable(int[] start, Matrix[] w) {
        if (w[0].rows() % (2 * GROUP * H) != 0) return false;
        for (int e = 0; e < w.length; e++) {
            int n = start[e + 1] - start[e];
            if (n != 0 && n < WIDEN_FROM_TOKENS) return false;
        }
        return true;
    }

    /**
     * act[t][i] = silu(g[t][i]) * g[t][inter + i] where g = the row block's product with its matrix [2 inter, cols]
     * (gate rows, then up rows): each task takes gate panel groups and their up groups together, tile by tile, and
     * writes the activation, so the products' outputs never go out to memory. Each element is the sum matmul gives it,
     * then SiLU and the product as {@link VectorKernels#swiglu} compute them. Arguments are already checked and
     * {@link #swigluFusable}.
     */
    static void matmulBlocksSwiglu(float[] x, int[] start, Matrix[] w, float[] act) {
        int blocks = w.length;
        int rows = start[blocks];
        if (rows == 0) {
            return;
        }
        int cols = w[0].cols(), inter = w[0].rows() / 2;
        Panels[] pw = new Panels[blocks];
        for (int e = 0; e < blocks; e++) pw[e] = Panels.of(w[e]);
        forEachBlockTask(start, inter / (GROUP * H), (e, g0, g1) -> {
            int n = start[e + 1] - start[e];
            swigluRange(x, start[e] * cols, n, pw[e], inter, act, start[e] * inter, g0, g1);
        });
    }

    /** n tokens against gate groups g0 .. g1 and their up groups, SwiGLU into act's rows of inter. */
    private static void swigluRange(
            float[] x, int xOff, int n, Panels pw, int inter, float[] act, int actOff, int g0, int g1) {
        int cols = pw.cols;
        Scratch work = SCRATCH.get();
        float[] tmp = work.tmp, tmp2 = work.tmp2;
        int half = GROUP * cols * H;
        boolean registers = pw.bf16 != null && registerTiles(n, cols);
        float[] scratch = pw.bf16 != null && !registers ? work.wide(2 * half) : null;
        int upPanel = inter / H;
        for (int g = g0; g < g1; g++) {
            int gate = g * GROUP, up = upPanel + g * GROUP;
            if (registers) {
                swigluBf16(x, xOff, n, pw, inter, act, actOff, gate, up, tmp, tmp2);
                continue;
            }
            float[] wf;
            int gateBase, upBase;
            if (pw.f32 != null) {
                wf = pw.f32;
                gateBase = pw.start(gate);
                upBase = pw.start(up);
            } else {
                widen(pw.bf16, pw.pairStart(gate), pw.pairs * H, cols, GROUP, scratch, 0);
                widen(pw.bf16, pw.pairStart(up), pw.pairs * H, cols, GROUP, scratch, half);
                wf = scratch;
                gateBase = 0;
                upBase = half;
            }
            int t = 0;
            for (; t + 6 <= n; t += 6) {
                tile6x4(x, xOff + t * cols, cols, cols, wf, gateBase, cols * H, H, tmp);
                tile6x4(x, xOff + t * cols, cols, cols, wf, upBase, cols * H, H, tmp2);
                siluTimes(tmp, tmp2, 6, act, actOff + t * inter + gate * H, inter);
            }
            for (; t + 4 <= n; t += 4) {
                tile4x4(x, xOff + t * cols, cols, cols, wf, gateBase, cols * H, H, tmp);
                tile4x4(x, xOff + t * cols, cols, cols, wf, upBase, cols * H, H, tmp2);
                siluTimes(tmp, tmp2, 4, act, actOff + t * inter + gate * H, inter);
            }
            for (; t < n; t++) {
                token4(x, xOff + t * cols, cols, wf, gateBase, cols * H, H, tmp);
                token4(x, xOff + t * cols, cols, wf, upBase, cols * H, H, tmp2);
                siluTimes(tmp, tmp2, 1, act, actOff + t * inter + gate * H, inter);
            }
        }
    }

    /** swigluRange's gate group from panel gate and up group from panel up, widened in registers. */
    private static void swigluBf16(
            float[] x,
            int xOff,
            int n,
            Panels pw,
            int inter,
            float[] act,
            int actOff,
            int gate,
            int up,
            float[] tmp,
            float[] tmp2) {
        int cols = pw.cols, ps = pw.pairs * H;
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            tile4x4Bf16(x, xOff + t * cols, cols, pw.bf16, pw.pairStart(gate), ps, tmp);
            tile4x4Bf16(x, xOff + t * cols, cols, pw.bf16, pw.pairStart(up), ps, tmp2);
            siluTimes(tmp, tmp2, 4, act, actOff + t * inter + gate * H, inter);
        }
        for (; t < n; t++) {
            token4Bf16(x, xOff + t * cols, cols, pw.bf16, pw.pairStart(gate), ps, tmp);
            token4Bf16(x, xOff + t * cols, cols, pw.bf16, pw.pairStart(up), ps, tmp2);
            siluTimes(tmp, tmp2, 1, act, actOff + t * inter + gate * H, inter);
        }
    }

    /**
     * A tile's activations: for each of its rows r, act[o + r stride ..][0 .. 64) = silu(gate) * up of the tile's row
     * r, as VectorKernels' SwiGLU computes each element. One call a tile, apart from the tile loops: inlined into
     * them (three times, into the bfloat16 widening as well) it passed the compiler's node budget, was left out, and
     * its SiLU ran on boxed vectors.
     */
    private static void siluTimes(float[] gate, float[] up, int rows, float[] act, int o, int stride) {
        for (int r = 0; r < rows; r++) {
            int i = r * GROUP * H;
            VectorExp.apply(VectorExp.SILU_TIMES, gate, i, GROUP * H, 0f, up, i, act, o + r * stride);
        }
    }

    /** All n tokens against panels p0 .. p1 (output rows 16 p0 .. 16 p1, clipped to rows). */
    private static void panelRange(float[] x, int xOff, int n, Panels pw, float[] out, int outOff, int p0, int p1) {
        int cols = pw.cols;
        Scratch work = SCRATCH.get();
        float[] tmp = work.tmp;
        boolean registers = pw.bf16 != null && (n < WIDEN_FROM_TOKENS || registerTiles(n, cols));
        float[] scratch = pw.bf16 != null && !registers ? work.wide(GROUP * cols * H) : null;
        int p = p0;
        if (n < 4 && pw.f32 != null) {
            // no 4-token tile: stream 8 float panels per pass (more loads in flight than 4); bfloat16 panels go 4 at a
            // time below (8 at a time, with two columns widened per load, passed C2's node-count cutoff)
            for (; p + 2 * GROUP <= p1; p += 2 * GROUP) {
                for (int t = 0; t < n; t++) {
                    token8(x, xOff + t * cols, cols, pw.f32, pw.start(p), cols * H, tmp);
                    store(tmp, 0, out, outOff + t * pw.rows, p, 2 * GROUP, pw.rows);
                }
            }
        }
        for (; p + GROUP <= p1; p += GROUP) {
            float[] wf;
            int base;
            if (pw.f32 != null) {
                wf = pw.f32;
                base = pw.start(p);
            } else if (scratch != null) {
                widen(pw.bf16, pw.pairStart(p), pw.pairs * H, cols, GROUP, scratch);
                wf = scratch;
                base = 0;
            } else {
                int t = 0;
                for (; t + 4 <= n && registerTiles(n, cols); t += 4) {
                    tile4x4Bf16(x, xOff + t * cols, cols, pw.bf16, pw.pairStart(p), pw.pairs * H, tmp);
                    for (int k = 0; k < 4; k++)
                        store(tmp, k * GROUP * H, out, outOff + (t + k) * pw.rows, p, GROUP, pw.rows);
                }
                for (; t < n; t++) {
                    token4Bf16(x, xOff + t * cols, cols, pw.bf16, pw.pairStart(p), pw.pairs * H, tmp);
                    store(tmp, 0, out, outOff + t * pw.rows, p, GROUP, pw.rows);
                }
                continue;
            }
            int t = 0;
            for (; t + 6 <= n; t += 6) {
                tile6x4(x, xOff + t * cols, cols, cols, wf, base, cols * H, H, tmp);
                for (int k = 0; k < 6; k++)
                    store(tmp, k * GROUP * H, out, outOff + (t + k) * pw.rows, p, GROUP, pw.rows);
            }
            for (; t + 4 <= n; t += 4) {
                tile4x4(x, xOff + t * cols, cols, cols, wf, base, cols * H, H, tmp);
                for (int k = 0; k < 4; k++)
                    store(tmp, k * GROUP * H, out, outOff + (t + k) * pw.rows, p, GROUP, pw.rows);
            }
            for (; t < n; t++) {
                token4(x, xOff + t * cols, cols, wf, base, cols * H, H, tmp);
                store(tmp, 0, out, outOff + t * pw.rows, p, GROUP, pw.rows);
            }
        }
        if (p < p1) {
            float[] panel = pw.bf16 != null ? work.wide(cols * H) : null;
            for (; p < p1; p++) {
                float[] wf;
                int base;
                if (pw.f32 != null) {
                    wf = pw.f32;
                    base = pw.start(p);
                } else {
                    widen(pw.bf16, pw.pairStart(p), pw.pairs * H, cols, 1, panel);
                    wf = panel;
                    base = 0;
                }
                int t = 0;
                for (; t + 6 <= n; t += 6) {
                    tile6x1(x, xOff + t * cols, cols, cols, wf, base, H, tmp);
                    for (int k = 0; k < 6; k++) store(tmp, k * H, out, outOff + (t + k) * pw.rows, p, 1, pw.rows);
                }
                for (; t < n; t++) {
                    token1(x, xOff + t * cols, cols, wf, base, H, tmp);
                    store(tmp, 0, out, outOff + t * pw.rows, p, 1, pw.rows);
                }
            }
        }
    }

    /** Which part of a plain product a call needs: all of it, or the parts a causal attention block needs. */
    private static final int ALL = 0, LOWER_RESULT = 1, LOWER_LEFT = 2;

    /**
     * out[t][j] = sum over i of x[t][i] * b[i][j], b row-major [k, m] read as it is: its rows are the
     * columns of the panels (panel p = columns 16 p .. 16 p + 15 of b). Arguments are already checked.
     */
    static void matmulNoTranspose(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        if (n == 0) {
            return;
        }
        int full = m / H;
        long flops = 2L * n * k * m;
        int groups = (full + GROUP - 1) / GROUP;
        int threads = KernelThreads.parallelism();
        int tasks = flops < PARALLEL_FLOPS || threads == 1 || groups < 2 ? 1 : Math.min(groups, 2 * threads);
        if (tasks == 1) {
            plainRange(x, xOff, n, b, bOff, k, m, out, outOff, 0, full, ALL);
        } else {
            KernelThreads.forEach(tasks, task -> {
                int p0 = (int) ((long) groups * task / tasks) * GROUP;
                int p1 = Math.min(full, (int) ((long) groups * (task + 1) / tasks) * GROUP);
                plainRange(x, xOff, n, b, bOff, k, m, out, outOff, p0, p1, ALL);
            });
        }
        plainTail(x, xOff, n, b, bOff, k, m, out, outOff, ALL);
    }

    /**
     * As {@link #matmulNoTranspose} for a causal score matrix: out[t][j] for j &lt;= t; a group of 4 panels starts at
     * the first row that needs one of its columns. On the calling thread.
     */
    static void matmulNoTransposeLowerResult(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        plainRange(x, xOff, n, b, bOff, k, m, out, outOff, 0, m / H, LOWER_RESULT);
        plainTail(x, xOff, n, b, bOff, k, m, out, outOff, LOWER_RESULT);
    }

    /**
     * As {@link #matmulNoTranspose} with x lower triangular (x[t][i] = 0 for i &gt; t): a tile's sums stop after its
     * last row's own index, so the zero terms they skip are at most those of the tile's other rows. On the calling
     * thread.
     */
    static void matmulNoTransposeLowerLeft(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff) {
        plainRange(x, xOff, n, b, bOff, k, m, out, outOff, 0, m / H, LOWER_LEFT);
        plainTail(x, xOff, n, b, bOff, k, m, out, outOff, LOWER_LEFT);
    }

    /** The first row a call of this shape computes in the columns from j. */
    private static int firstRow(int shape, int n, int j) {
        return shape == LOWER_RESULT ? Math.min(n, j) : 0;
    }

    /** The terms a sum of rows up to (excluding) end runs over. */
    private static int terms(int shape, int k, int end) {
        return shape == LOWER_LEFT ? Math.min(k, end) : k;
    }

    /** Rows against the full panels p0 .. p1 of a row-major right-hand matrix, as much of them as the shape needs. */
    private static void plainRange(
            float[] x,
            int xOff,
            int n,
            float[] b,
            int bOff,
            int k,
            int m,
            float[] out,
            int outOff,
            int p0,
            int p1,
            int shape) {
        float[] tmp = SCRATCH.get().tmp;
        int p = p0;
        for (; p + GROUP <= p1; p += GROUP) {
            int base = bOff + p * H;
            int t = firstRow(shape, n, p * H);
            for (; t + 6 <= n; t += 6) {
                tile6x4(x, xOff + t * k, k, terms(shape, k, t + 6), b, base, H, m, tmp);
                for (int q = 0; q < 6; q++)
                    System.arraycopy(tmp, q * GROUP * H, out, outOff + (t + q) * m + p * H, GROUP * H);
            }
            for (; t + 4 <= n; t += 4) {
                tile4x4(x, xOff + t * k, k, terms(shape, k, t + 4), b, base, H, m, tmp);
                for (int q = 0; q < 4; q++)
                    System.arraycopy(tmp, q * GROUP * H, out, outOff + (t + q) * m + p * H, GROUP * H);
            }
            for (; t < n; t++) {
                token4(x, xOff + t * k, terms(shape, k, t + 1), b, base, H, m, tmp);
                System.arraycopy(tmp, 0, out, outOff + t * m + p * H, GROUP * H);
            }
        }
        for (; p < p1; p++) {
            int t = firstRow(shape, n, p * H);
            for (; t + 6 <= n; t += 6) {
                tile6x1(x, xOff + t * k, k, terms(shape, k, t + 6), b, bOff + p * H, m, tmp);
                for (int q = 0; q < 6; q++) System.arraycopy(tmp, q * H, out, outOff + (t + q) * m + p * H, H);
            }
            for (; t < n; t++) {
                token1(x, xOff + t * k, terms(shape, k, t + 1), b, bOff + p * H, m, tmp);
                System.arraycopy(tmp, 0, out, outOff + t * m + p * H, H);
            }
        }
    }

    /** The last m % 16 columns: the same sequential sums, in scalar code. */
    private static void plainTail(
            float[] x, int xOff, int n, float[] b, int bOff, int k, int m, float[] out, int outOff, int shape) {
        for (int j = m / H * H; j < m; j++) {
            for (int t = firstRow(shape, n, j); t < n; t++) {
                int xo = xOff + t * k;
                int len = terms(shape, k, t + 1);
                float s = 0f;
                for (int i = 0; i < len; i++) s = Math.fma(x[xo + i], b[bOff + i * m + j], s);
                out[outOff + t * m + j] = s;
            }
        }
    }

    /** Copies the sums of `panels` panels from p (16 each in tmp from src) to out row o, clipped to rows. */
    private static void store(float[] tmp, int src, float[] out, int o, int p, int panels, int rows) {
        int r0 = p * H;
        int len = Math.min(panels * H, rows - r0);
        System.arraycopy(tmp, src, out, o + r0, len);
    }

    /**
     * 4 tokens (x rows from xo, cols each) x 4 panels: tmp[64 t + 16 k + lane]. Column c of panel k is
     * the 16 floats at w[base + k * ps + c * cs]: ps = cols * 16, cs = 16 for {@link Panels}; ps = 16,
     * cs = row length for a row-major right-hand matrix used as it is.
     */
    private static void tile4x4(
            float[] x, int xo, int cols, int len, float[] w, int base, int ps, int cs, float[] tmp) {
        int x1 = xo + cols, x2 = x1 + cols, x3 = x2 + cols;
        int s = ps;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0; c < len; c++) {
            int i = base + c * cs;
            FloatVector w0 = FloatVector.fromArray(F, w, i);
            FloatVector w1 = FloatVector.fromArray(F, w, i + s);
            FloatVector w2 = FloatVector.fromArray(F, w, i + 2 * s);
            FloatVector w3 = FloatVector.fromArray(F, w, i + 3 * s);
            FloatVector u = FloatVector.broadcast(F, x[xo + c]);
            a00 = u.fma(w0, a00);
            a01 = u.fma(w1, a01);
            a02 = u.fma(w2, a02);
            a03 = u.fma(w3, a03);
            u = FloatVector.broadcast(F, x[x1 + c]);
            a10 = u.fma(w0, a10);
            a11 = u.fma(w1, a11);
            a12 = u.fma(w2, a12);
            a13 = u.fma(w3, a13);
            u = FloatVector.broadcast(F, x[x2 + c]);
            a20 = u.fma(w0, a20);
            a21 = u.fma(w1, a21);
            a22 = u.fma(w2, a22);
            a23 = u.fma(w3, a23);
            u = FloatVector.broadcast(F, x[x3 + c]);
            a30 = u.fma(w0, a30);
            a31 = u.fma(w1, a31);
            a32 = u.fma(w2, a32);
            a33 = u.fma(w3, a33);
        }
        a00.intoArray(tmp, 0);
        a01.intoArray(tmp, 16);
        a02.intoArray(tmp, 32);
        a03.intoArray(tmp, 48);
        a10.intoArray(tmp, 64);
        a11.intoArray(tmp, 80);
        a12.intoArray(tmp, 96);
        a13.intoArray(tmp, 112);
        a20.intoArray(tmp, 128);
        a21.intoArray(tmp, 144);
        a22.intoArray(tmp, 160);
        a23.intoArray(tmp, 176);
        a30.intoArray(tmp, 192);
        a31.intoArray(tmp, 208);
        a32.intoArray(tmp, 224);
        a33.intoArray(tmp, 240);
    }

    /**
     * 6 tokens x 4 panels, as {@link #tile4x4} (tmp[64 t + 16 k + lane]): each weight load serves 6 tokens instead of
     * 4, a third less traffic from L2 for the same multiply-adds; 24 accumulators, 4 weights and a broadcast fit the
     * 32 vector registers. Every sum runs over the columns in the same order as in the other tiles, so the results
     * are the same bit for bit.
     */
    private static void tile6x4(
            float[] x, int xo, int cols, int len, float[] w, int base, int ps, int cs, float[] tmp) {
        int x1 = xo + cols, x2 = x1 + cols, x3 = x2 + cols, x4 = x3 + cols, x5 = x4 + cols;
        int s = ps;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
        for (int c = 0; c < len; c++) {
            int i = base + c * cs;
            FloatVector w0 = FloatVector.fromArray(F, w, i);
            FloatVector w1 = FloatVector.fromArray(F, w, i + s);
            FloatVector w2 = FloatVector.fromArray(F, w, i + 2 * s);
            FloatVector w3 = FloatVector.fromArray(F, w, i + 3 * s);
            FloatVector u = FloatVector.broadcast(F, x[xo + c]);
            a00 = u.fma(w0, a00);
            a01 = u.fma(w1, a01);
            a02 = u.fma(w2, a02);
            a03 = u.fma(w3, a03);
            u = FloatVector.broadcast(F, x[x1 + c]);
            a10 = u.fma(w0, a10);
            a11 = u.fma(w1, a11);
            a12 = u.fma(w2, a12);
            a13 = u.fma(w3, a13);
            u = FloatVector.broadcast(F, x[x2 + c]);
            a20 = u.fma(w0, a20);
            a21 = u.fma(w1, a21);
            a22 = u.fma(w2, a22);
            a23 = u.fma(w3, a23);
            u = FloatVector.broadcast(F, x[x3 + c]);
            a30 = u.fma(w0, a30);
            a31 = u.fma(w1, a31);
            a32 = u.fma(w2, a32);
            a33 = u.fma(w3, a33);
            u = FloatVector.broadcast(F, x[x4 + c]);
            a40 = u.fma(w0, a40);
            a41 = u.fma(w1, a41);
            a42 = u.fma(w2, a42);
            a43 = u.fma(w3, a43);
            u = FloatVector.broadcast(F, x[x5 + c]);
            a50 = u.fma(w0, a50);
            a51 = u.fma(w1, a51);
            a52 = u.fma(w2, a52);
            a53 = u.fma(w3, a53);
        }
        a00.intoArray(tmp, 0);
        a01.intoArray(tmp, 16);
        a02.intoArray(tmp, 32);
        a03.intoArray(tmp, 48);
        a10.intoArray(tmp, 64);
        a11.intoArray(tmp, 80);
        a12.intoArray(tmp, 96);
        a13.intoArray(tmp, 112);
        a20.intoArray(tmp, 128);
        a21.intoArray(tmp, 144);
        a22.intoArray(tmp, 160);
        a23.intoArray(tmp, 176);
        a30.intoArray(tmp, 192);
        a31.intoArray(tmp, 208);
        a32.intoArray(tmp, 224);
        a33.intoArray(tmp, 240);
        a40.intoArray(tmp, 256);
        a41.intoArray(tmp, 272);
        a42.intoArray(tmp, 288);
        a43.intoArray(tmp, 304);
        a50.intoArray(tmp, 320);
        a51.intoArray(tmp, 336);
        a52.intoArray(tmp, 352);
        a53.intoArray(tmp, 368);
    }

    /** One token x 4 float panels laid out as for {@link #tile4x4}: tmp[16 k + lane]. */
    private static void token4(float[] x, int xo, int len, float[] w, int base, int ps, int cs, float[] tmp) {
        int s = ps;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int c = 0; c < len; c++) {
            int i = base + c * cs;
            FloatVector u = FloatVector.broadcast(F, x[xo + c]);
            a0 = u.fma(FloatVector.fromArray(F, w, i), a0);
            a1 = u.fma(FloatVector.fromArray(F, w, i + s), a1);
            a2 = u.fma(FloatVector.fromArray(F, w, i + 2 * s), a2);
            a3 = u.fma(FloatVector.fromArray(F, w, i + 3 * s), a3);
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, 16);
        a2.intoArray(tmp, 32);
        a3.intoArray(tmp, 48);
    }

    /** One token x 8 float panels (column c of panel k at w[base + k * ps + c * 16]): tmp[16 k + lane]. */
    private static void token8(float[] x, int xo, int cols, float[] w, int base, int ps, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int c = 0; c < cols; c++) {
            int i = base + c * H;
            FloatVector u = FloatVector.broadcast(F, x[xo + c]);
            a0 = u.fma(FloatVector.fromArray(F, w, i), a0);
            a1 = u.fma(FloatVector.fromArray(F, w, i + ps), a1);
            a2 = u.fma(FloatVector.fromArray(F, w, i + 2 * ps), a2);
            a3 = u.fma(FloatVector.fromArray(F, w, i + 3 * ps), a3);
            a4 = u.fma(FloatVector.fromArray(F, w, i + 4 * ps), a4);
            a5 = u.fma(FloatVector.fromArray(F, w, i + 5 * ps), a5);
            a6 = u.fma(FloatVector.fromArray(F, w, i + 6 * ps), a6);
            a7 = u.fma(FloatVector.fromArray(F, w, i + 7 * ps), a7);
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, 16);
        a2.intoArray(tmp, 32);
        a3.intoArray(tmp, 48);
        a4.intoArray(tmp, 64);
        a5.intoArray(tmp, 80);
        a6.intoArray(tmp, 96);
        a7.intoArray(tmp, 112);
    }

    /**
     * One token x 4 bfloat16 panels of column pairs (pair q of panel k at w[base + k * ps + q * 16]), widened in
     * registers: one int load gives columns 2q and 2q + 1, summed in that order. tmp[16 k + lane].
     */
    private static void token4Bf16(float[] x, int xo, int cols, int[] w, int base, int ps, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        IntVector m = IntVector.broadcast(I, 0xFFFF0000);
        int c = 0;
        for (; c + 2 <= cols; c += 2) {
            int i = base + c * (H / 2);
            FloatVector u = FloatVector.broadcast(F, x[xo + c]);
            FloatVector v = FloatVector.broadcast(F, x[xo + c + 1]);
            IntVector w0 = IntVector.fromArray(I, w, i);
            IntVector w1 = IntVector.fromArray(I, w, i + ps);
            IntVector w2 = IntVector.fromArray(I, w, i + 2 * ps);
            IntVector w3 = IntVector.fromArray(I, w, i + 3 * ps);
            // widened here, not through low() and high(): a helper that C2 has compiled on its own into a large body
            // is not inlined again, and its widening then runs boxed
            a0 = v.fma(
                    w0.and(m).reinterpretAsFloats(), u.fma(w0.lanewise(LSHL, 16).reinterpretAsFloats(), a0));
            a1 = v.fma(
                    w1.and(m).reinterpretAsFloats(), u.fma(w1.lanewise(LSHL, 16).reinterpretAsFloats(), a1));
            a2 = v.fma(
                    w2.and(m).reinterpretAsFloats(), u.fma(w2.lanewise(LSHL, 16).reinterpretAsFloats(), a2));
            a3 = v.fma(
                    w3.and(m).reinterpretAsFloats(), u.fma(w3.lanewise(LSHL, 16).reinterpretAsFloats(), a3));
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, 16);
        a2.intoArray(tmp, 32);
        a3.intoArray(tmp, 48);
        if (c < cols) {
            lastColumnBf16(x[xo + c], w, base + c * (H / 2), ps, 4, tmp);
        }
    }

    /**
     * 4 tokens x 4 bfloat16 panels of column pairs (as {@link #token4Bf16}), widened in registers: column 2q from
     * the low halves, then 2q + 1 from the high halves of the same loads, so each sum runs over the columns in order,
     * as {@link #tile4x4} does over widened panels. Even cols only. tmp[64 t + 16 k + lane].
     */
    private static void tile4x4Bf16(float[] x, int xo, int cols, int[] w, int base, int ps, float[] tmp) {
        int x1 = xo + cols, x2 = x1 + cols, x3 = x2 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0; c < cols; c++) {
            int i = base + (c >> 1) * H;
            IntVector v0 = IntVector.fromArray(I, w, i);
            IntVector v1 = IntVector.fromArray(I, w, i + ps);
            IntVector v2 = IntVector.fromArray(I, w, i + 2 * ps);
            IntVector v3 = IntVector.fromArray(I, w, i + 3 * ps);
            FloatVector w0, w1, w2, w3;
            if ((c & 1) == 0) {
                w0 = v0.lanewise(LSHL, 16).reinterpretAsFloats();
                w1 = v1.lanewise(LSHL, 16).reinterpretAsFloats();
                w2 = v2.lanewise(LSHL, 16).reinterpretAsFloats();
                w3 = v3.lanewise(LSHL, 16).reinterpretAsFloats();
            } else {
                // the mask as a scalar operand, not a vector held across the loop: C2 kept such a vector boxed
                w0 = v0.and(0xFFFF0000).reinterpretAsFloats();
                w1 = v1.and(0xFFFF0000).reinterpretAsFloats();
                w2 = v2.and(0xFFFF0000).reinterpretAsFloats();
                w3 = v3.and(0xFFFF0000).reinterpretAsFloats();
            }
            FloatVector u = FloatVector.broadcast(F, x[xo + c]);
            a00 = u.fma(w0, a00);
            a01 = u.fma(w1, a01);
            a02 = u.fma(w2, a02);
            a03 = u.fma(w3, a03);
            u = FloatVector.broadcast(F, x[x1 + c]);
            a10 = u.fma(w0, a10);
            a11 = u.fma(w1, a11);
            a12 = u.fma(w2, a12);
            a13 = u.fma(w3, a13);
            u = FloatVector.broadcast(F, x[x2 + c]);
            a20 = u.fma(w0, a20);
            a21 = u.fma(w1, a21);
            a22 = u.fma(w2, a22);
            a23 = u.fma(w3, a23);
            u = FloatVector.broadcast(F, x[x3 + c]);
            a30 = u.fma(w0, a30);
            a31 = u.fma(w1, a31);
            a32 = u.fma(w2, a32);
            a33 = u.fma(w3, a33);
        }
        a00.intoArray(tmp, 0);
        a01.intoArray(tmp, 16);
        a02.intoArray(tmp, 32);
        a03.intoArray(tmp, 48);
        a10.intoArray(tmp, 64);
        a11.intoArray(tmp, 80);
        a12.intoArray(tmp, 96);
        a13.intoArray(tmp, 112);
        a20.intoArray(tmp, 128);
        a21.intoArray(tmp, 144);
        a22.intoArray(tmp, 160);
        a23.intoArray(tmp, 176);
        a30.intoArray(tmp, 192);
        a31.intoArray(tmp, 208);
        a32.intoArray(tmp, 224);
        a33.intoArray(tmp, 240);
    }

    /**
     * The unpaired last column of an odd width: tmp[16 k + lane] = fma(xc, column, tmp[16 k + lane]) for the
     * low halves at w[i + k * ps]. Kept out of the loops above so that C2 inlines every vector operation there
     * (C2 stops inlining at a node-count cutoff, and a vector operation left un-inlined runs boxed, many times slower).
     */
    private static void lastColumnBf16(float xc, int[] w, int i, int ps, int panels, float[] tmp) {
        FloatVector u = FloatVector.broadcast(F, xc);
        for (int k = 0; k < panels; k++) {
            u.fma(low(IntVector.fromArray(I, w, i + k * ps)), FloatVector.fromArray(F, tmp, k * H))
                    .intoArray(tmp, k * H);
        }
    }

    /**
     * 6 tokens x one float panel (column c at w[base + c * cs]): tmp[16 t + lane]. For a last panel or a matrix of
     * one (a router): 6 independent sums, where one token's single sum waits on its own multiply-add every column.
     */
    private static void tile6x1(float[] x, int xo, int cols, int len, float[] w, int base, int cs, float[] tmp) {
        int x1 = xo + cols, x2 = x1 + cols, x3 = x2 + cols, x4 = x3 + cols, x5 = x4 + cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        for (int c = 0; c < len; c++) {
            FloatVector v = FloatVector.fromArray(F, w, base + c * cs);
            a0 = FloatVector.broadcast(F, x[xo + c]).fma(v, a0);
            a1 = FloatVector.broadcast(F, x[x1 + c]).fma(v, a1);
            a2 = FloatVector.broadcast(F, x[x2 + c]).fma(v, a2);
            a3 = FloatVector.broadcast(F, x[x3 + c]).fma(v, a3);
            a4 = FloatVector.broadcast(F, x[x4 + c]).fma(v, a4);
            a5 = FloatVector.broadcast(F, x[x5 + c]).fma(v, a5);
        }
        a0.intoArray(tmp, 0);
        a1.intoArray(tmp, 16);
        a2.intoArray(tmp, 32);
        a3.intoArray(tmp, 48);
        a4.intoArray(tmp, 64);
        a5.intoArray(tmp, 80);
    }

    /** One token x one float panel (column c at w[base + c * cs]): tmp[lane]. */
    private static void token1(float[] x, int xo, int len, float[] w, int base, int cs, float[] tmp) {
        FloatVector a = FloatVector.zero(F);
        for (int c = 0; c < len; c++) {
            a = FloatVector.broadcast(F, x[xo + c]).fma(FloatVector.fromArray(F, w, base + c * cs), a);
        }
        a.intoArray(tmp, 0);
    }

    /** The bfloat16 values in the low halves of v's lanes, as floats (the bits shifted into the top half). */
    static FloatVector low(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** The bfloat16 values in the high halves of v's lanes, as floats (the low half cleared). */
    static FloatVector high(IntVector v) {
        return high(v, IntVector.broadcast(I, 0xFFFF0000));
    }

    /** As {@link #high(IntVector)} with the mask 0xFFFF0000 in every lane given (fewer nodes for C2 in a loop). */
    static FloatVector high(IntVector v, IntVector mask) {
        return v.and(mask).reinterpretAsFloats();
    }

    /**
     * Widens `panels` bfloat16 panels of column pairs (panel k from src[from + k * ps]) into float panels
     * dst[k * cols * 16 + c * 16 + lane].
     */
    static void widen(int[] src, int from, int ps, int cols, int panels, float[] dst) {
        widen(src, from, ps, cols, panels, dst, 0);
    }

    /** As above, into dst from dOff. */
    static void widen(int[] src, int from, int ps, int cols, int panels, float[] dst, int dOff) {
        IntVector mask = IntVector.broadcast(I, 0xFFFF0000);
        for (int k = 0; k < panels; k++) {
            int s = from + k * ps;
            int d = dOff + k * cols * H;
            int c = 0;
            for (; c + 2 <= cols; c += 2) {
                IntVector v = IntVector.fromArray(I, src, s + c * (H / 2));
                v.lanewise(LSHL, 16).reinterpretAsFloats().intoArray(dst, d + c * H); // as in token4Bf16
                v.and(mask).reinterpretAsFloats().intoArray(dst, d + (c + 1) * H);
            }
            if (c < cols) {
                low(IntVector.fromArray(I, src, s + c * (H / 2))).intoArray(dst, d + c * H);
            }
        }
    }

    /** The canonical ({@link CanonicalSum}) dot product of a[aOff ..] and b[bOff ..] over len terms. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        int bound = F.loopBound(len);
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0; c < bound; c += H) {
            acc = FloatVector.fromArray(F, a, aOff + c).fma(FloatVector.fromArray(F, b, bOff + c), acc);
        }
        float s = fold(acc);
        for (int c = bound; c < len; c++) {
            s = Math.fma(a[aOff + c], b[bOff + c], s);
        }
        return s;
    }

    /** The canonical sum of x[off ..] over len terms. */
    static float sum(float[] x, int off, int len) {
        int bound = F.loopBound(len);
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0; c < bound; c += H) {
            acc = acc.add(FloatVector.fromArray(F, x, off + c));
        }
        float s = fold(acc);
        for (int c = bound; c < len; c++) {
            s += x[off + c];
        }
        return s;
    }

    /**
     * The canonical folding tree of one 16-lane accumulator (in scalar code: permutes are slow on JDK 17). The lanes
     * go through the thread's scratch: a fresh array escapes the vector store, and norms and softmaxes fold once a
     * row.
     */
    private static float fold(FloatVector v) {
        float[] lanes = SCRATCH.get().lanes;
        v.intoArray(lanes, 0);
        return CanonicalSum.tree(lanes);
    }
}
