package dev.linnet.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * out[n][rows] = x[n][cols] * W^T on 512-bit vectors.
 *
 * <p>Every output element is one dot product summed in the {@link CanonicalSum} order: one 16-lane
 * accumulator over the column chunks in order, the fixed folding tree, then the tail columns in scalar
 * order. The code paths differ only in how many dot products share each loaded vector:
 * <ul>
 *   <li>n = 1 (decode): strips of 16 weight rows (8 for bfloat16, widened in registers; float16 rows
 *       widened 16 at a time into a small scratch) against the one token, so the weights are streamed
 *       once;</li>
 *   <li>n &gt;= 2 (prefill): blocks of 4 weight rows (16-bit ones widened once per block into a small
 *       scratch) against tiles of 4 tokens, 16 accumulators sharing 8 loads per column chunk, with the
 *       tokens taken in blocks whose inputs fit the L2 cache.</li>
 * </ul>
 * The 16 accumulators of a tile are folded either all at once in registers (lane blends and
 * permutes: the canonical tree for all 16, dot product j ending in lane j) or one by one in scalar
 * code after a store; both give the same bits. The register fold is chosen where permutes are cheap:
 * JDK 17 re-validates the shuffle on every rearrange, which makes it slower there than the scalar one.
 *
 * <p>Large calls are split over rows of W between {@link KernelThreads}.
 */
final class VectorMatmul {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final int L = 16;

    /** Below this many flops a call stays on the calling thread (handing work over costs microseconds). */
    static final long PARALLEL_FLOPS = 1L << 20;
    /** Rows per unit of parallel work: one n = 1 strip. */
    private static final int ROW_UNIT = 16;
    /** Bytes of input tokens kept in L2 while a block of weight rows passes over them. */
    private static final int TOKEN_BLOCK_BYTES = 256 * 1024;

    // lanes whose index has bit g set, and the permutation i -> i ^ g, for g = 8, 4, 2, 1
    private static final VectorMask<Float> UPPER8 = VectorMask.fromLong(F, 0xFF00L);
    private static final VectorMask<Float> UPPER4 = VectorMask.fromLong(F, 0xF0F0L);
    private static final VectorMask<Float> UPPER2 = VectorMask.fromLong(F, 0xCCCCL);
    private static final VectorMask<Float> UPPER1 = VectorMask.fromLong(F, 0xAAAAL);
    private static final VectorShuffle<Float> SWAP8 = VectorShuffle.fromOp(F, i -> i ^ 8);
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(F, i -> i ^ 4);
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(F, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(F, i -> i ^ 1);

    /** Fold the tile accumulators with lane permutes (true) or in scalar code (false): same bits. */
    private final boolean foldInRegisters;

    VectorMatmul(boolean foldInRegisters) {
        this.foldInRegisters = foldInRegisters;
    }

    boolean foldsInRegisters() {
        return foldInRegisters;
    }

    /** The fold for this JVM: {@code -Dlinnet.kernels.fold=auto|vector|scalar}, auto by JDK version. */
    static boolean defaultFold() {
        return chooseFold(System.getProperty("linnet.kernels.fold", "auto"));
    }

    static boolean chooseFold(String setting) {
        switch (setting) {
            case "vector":
                return true;
            case "scalar":
                return false;
            case "auto":
                return Runtime.version().feature() >= 21;
            default:
                throw new IllegalArgumentException("linnet.kernels.fold must be auto, vector or scalar, got '"
                        + setting + "'");
        }
    }

    /** Arguments are already checked. */
    void matmul(float[] x, int xOff, int n, Matrix w, float[] out, int outOff) {
        if (n == 0) {
            return;
        }
        int rows = w.rows();
        long flops = 2L * n * rows * w.cols();
        int units = (rows + ROW_UNIT - 1) / ROW_UNIT;
        int threads = KernelThreads.parallelism();
        int tasks = flops < PARALLEL_FLOPS || threads == 1 ? 1 : Math.min(units, 2 * threads);
        if (tasks == 1) {
            rowRange(x, xOff, n, w, out, outOff, 0, rows);
            return;
        }
        KernelThreads.forEach(tasks, task -> {
            int r0 = (int) ((long) units * task / tasks) * ROW_UNIT;
            int r1 = Math.min(rows, (int) ((long) units * (task + 1) / tasks) * ROW_UNIT);
            rowRange(x, xOff, n, w, out, outOff, r0, r1);
        });
    }

    /** Computes the output columns r0 .. r1 for all n tokens. */
    private void rowRange(float[] x, int xOff, int n, Matrix w, float[] out, int outOff, int r0, int r1) {
        if (n == 1) {
            singleToken(x, xOff, w, out, outOff, r0, r1);
        } else {
            tokenBatch(x, xOff, n, w, out, outOff, r0, r1);
        }
    }

    // ---------------------------------------------------------------- n = 1

    private void singleToken(float[] x, int xOff, Matrix w, float[] out, int outOff, int r0, int r1) {
        int cols = w.cols();
        float[] tmp = new float[256];
        int r = r0;
        switch (w.storage()) {
            case F32 -> {
                for (; r + 16 <= r1; r += 16) strip16F32(x, xOff, w.f32(), r * cols, cols, out, outOff + r, tmp);
            }
            case BF16 -> {
                for (; r + 8 <= r1; r += 8) strip8Bf16(x, xOff, w.bits16(), r * cols, cols, out, outOff + r, tmp);
            }
            case F16 -> {
                // no in-register path: its conversion is too large to inline 16 times; widen 16 rows first
                float[] rows16 = new float[16 * cols];
                for (; r + 16 <= r1; r += 16) {
                    for (int k = 0; k < 16; k++) widenRow(w, r + k, rows16, k * cols);
                    strip16F32(x, xOff, rows16, 0, cols, out, outOff + r, tmp);
                }
            }
        }
        if (r < r1) {
            float[] row = new float[cols];
            for (; r < r1; r++) {
                widenRow(w, r, row, 0);
                out[outOff + r] = dot(x, xOff, row, 0, cols, tmp);
            }
        }
    }

    /** One token against 16 float rows of w from wo (stride cols), results to out[oo .. oo + 16). */
    private void strip16F32(float[] x, int xo, float[] w, int wo, int cols, float[] out, int oo, float[] tmp) {
        int bound = F.loopBound(cols);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (int c = 0; c < bound; c += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + c);
            int i = wo + c;
            a0 = FloatVector.fromArray(F, w, i).fma(xv, a0);
            a1 = FloatVector.fromArray(F, w, i += cols).fma(xv, a1);
            a2 = FloatVector.fromArray(F, w, i += cols).fma(xv, a2);
            a3 = FloatVector.fromArray(F, w, i += cols).fma(xv, a3);
            a4 = FloatVector.fromArray(F, w, i += cols).fma(xv, a4);
            a5 = FloatVector.fromArray(F, w, i += cols).fma(xv, a5);
            a6 = FloatVector.fromArray(F, w, i += cols).fma(xv, a6);
            a7 = FloatVector.fromArray(F, w, i += cols).fma(xv, a7);
            a8 = FloatVector.fromArray(F, w, i += cols).fma(xv, a8);
            a9 = FloatVector.fromArray(F, w, i += cols).fma(xv, a9);
            a10 = FloatVector.fromArray(F, w, i += cols).fma(xv, a10);
            a11 = FloatVector.fromArray(F, w, i += cols).fma(xv, a11);
            a12 = FloatVector.fromArray(F, w, i += cols).fma(xv, a12);
            a13 = FloatVector.fromArray(F, w, i += cols).fma(xv, a13);
            a14 = FloatVector.fromArray(F, w, i += cols).fma(xv, a14);
            a15 = FloatVector.fromArray(F, w, i + cols).fma(xv, a15);
        }
        // the fold is written out here (not a call) so that the JIT never boxes the 16 accumulators
        if (foldInRegisters) {
            FloatVector e0 = pair(a0, a8, UPPER8, SWAP8), e1 = pair(a1, a9, UPPER8, SWAP8);
            FloatVector e2 = pair(a2, a10, UPPER8, SWAP8), e3 = pair(a3, a11, UPPER8, SWAP8);
            FloatVector e4 = pair(a4, a12, UPPER8, SWAP8), e5 = pair(a5, a13, UPPER8, SWAP8);
            FloatVector e6 = pair(a6, a14, UPPER8, SWAP8), e7 = pair(a7, a15, UPPER8, SWAP8);
            FloatVector q0 = pair(e0, e4, UPPER4, SWAP4), q1 = pair(e1, e5, UPPER4, SWAP4);
            FloatVector q2 = pair(e2, e6, UPPER4, SWAP4), q3 = pair(e3, e7, UPPER4, SWAP4);
            pair(pair(q0, q2, UPPER2, SWAP2), pair(q1, q3, UPPER2, SWAP2), UPPER1, SWAP1).intoArray(tmp, 0);
        } else {
            a0.intoArray(tmp, 0); a1.intoArray(tmp, 16); a2.intoArray(tmp, 32); a3.intoArray(tmp, 48);
            a4.intoArray(tmp, 64); a5.intoArray(tmp, 80); a6.intoArray(tmp, 96); a7.intoArray(tmp, 112);
            a8.intoArray(tmp, 128); a9.intoArray(tmp, 144); a10.intoArray(tmp, 160); a11.intoArray(tmp, 176);
            a12.intoArray(tmp, 192); a13.intoArray(tmp, 208); a14.intoArray(tmp, 224); a15.intoArray(tmp, 240);
            treesInPlace(tmp);
        }
        for (int j = 0; j < 16; j++) {
            float s = tmp[j];
            int wr = wo + j * cols;
            for (int c = bound; c < cols; c++) s = Math.fma(x[xo + c], w[wr + c], s);
            out[oo + j] = s;
        }
    }

    /**
     * One token against 8 bfloat16 rows of w from wo (stride cols), widened in registers, results to
     * out[oo .. oo + 8). Eight rows, not 16: JDK 17's JIT stops inlining after about ten conversions.
     */
    private void strip8Bf16(float[] x, int xo, short[] w, int wo, int cols, float[] out, int oo, float[] tmp) {
        int bound = F.loopBound(cols);
        FloatVector z = FloatVector.zero(F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        for (int c = 0; c < bound; c += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + c);
            int i = wo + c;
            a0 = bf16(w, i).fma(xv, a0);
            a1 = bf16(w, i += cols).fma(xv, a1);
            a2 = bf16(w, i += cols).fma(xv, a2);
            a3 = bf16(w, i += cols).fma(xv, a3);
            a4 = bf16(w, i += cols).fma(xv, a4);
            a5 = bf16(w, i += cols).fma(xv, a5);
            a6 = bf16(w, i += cols).fma(xv, a6);
            a7 = bf16(w, i + cols).fma(xv, a7);
        }
        if (foldInRegisters) {
            // the 16-way fold with zero partners: lanes 0 .. 7 get the 8 trees
            FloatVector e0 = pair(a0, z, UPPER8, SWAP8), e1 = pair(a1, z, UPPER8, SWAP8);
            FloatVector e2 = pair(a2, z, UPPER8, SWAP8), e3 = pair(a3, z, UPPER8, SWAP8);
            FloatVector e4 = pair(a4, z, UPPER8, SWAP8), e5 = pair(a5, z, UPPER8, SWAP8);
            FloatVector e6 = pair(a6, z, UPPER8, SWAP8), e7 = pair(a7, z, UPPER8, SWAP8);
            FloatVector q0 = pair(e0, e4, UPPER4, SWAP4), q1 = pair(e1, e5, UPPER4, SWAP4);
            FloatVector q2 = pair(e2, e6, UPPER4, SWAP4), q3 = pair(e3, e7, UPPER4, SWAP4);
            pair(pair(q0, q2, UPPER2, SWAP2), pair(q1, q3, UPPER2, SWAP2), UPPER1, SWAP1).intoArray(tmp, 0);
        } else {
            a0.intoArray(tmp, 0); a1.intoArray(tmp, 16); a2.intoArray(tmp, 32); a3.intoArray(tmp, 48);
            a4.intoArray(tmp, 64); a5.intoArray(tmp, 80); a6.intoArray(tmp, 96); a7.intoArray(tmp, 112);
            for (int j = 0; j < 8; j++) tmp[j] = CanonicalSum.tree(tmp, 16 * j);
        }
        for (int j = 0; j < 8; j++) {
            float s = tmp[j];
            int wr = wo + j * cols;
            for (int c = bound; c < cols; c++) s = Math.fma(x[xo + c], Bits16.bf16ToFloat(w[wr + c]), s);
            out[oo + j] = s;
        }
    }

    // ---------------------------------------------------------------- n >= 2

    private void tokenBatch(float[] x, int xOff, int n, Matrix w, float[] out, int outOff, int r0, int r1) {
        int rows = w.rows();
        int cols = w.cols();
        boolean wide = w.storage() == Matrix.Storage.F32;
        float[] scratch = wide ? null : new float[4 * cols];
        float[] tmp = new float[256];
        int block = Math.max(4, TOKEN_BLOCK_BYTES / (4 * cols) / 4 * 4);
        for (int t0 = 0; t0 < n; t0 += block) {
            int t1 = Math.min(n, t0 + block);
            for (int r = r0; r < r1; r += 4) {
                int count = Math.min(4, r1 - r);
                float[] wa = wide ? w.f32() : scratch;
                int wo = wide ? r * cols : 0;
                if (!wide) {
                    for (int k = 0; k < count; k++) widenRow(w, r + k, scratch, k * cols);
                }
                int o = outOff + r;
                if (count == 4) {
                    int t = t0;
                    for (; t + 4 <= t1; t += 4) {
                        tile4x4(x, xOff + t * cols, cols, wa, wo, tmp);
                        for (int i = 0; i < 4; i++) System.arraycopy(tmp, 4 * i, out, o + (t + i) * rows, 4);
                    }
                    for (; t < t1; t++) {
                        for (int k = 0; k < 4; k++) out[o + t * rows + k] = dot(x, xOff + t * cols, wa, wo + k * cols, cols, tmp);
                    }
                } else {
                    for (int k = 0; k < count; k++) {
                        for (int t = t0; t < t1; t++) {
                            out[o + t * rows + k] = dot(x, xOff + t * cols, wa, wo + k * cols, cols, tmp);
                        }
                    }
                }
            }
        }
    }

    /** Dot products of 4 tokens (x rows from xo) with 4 weight rows (from wo), to tmp[4 * t + r]. */
    private void tile4x4(float[] x, int xo, int cols, float[] w, int wo, float[] tmp) {
        int bound = F.loopBound(cols);
        int x1 = xo + cols, x2 = x1 + cols, x3 = x2 + cols;
        int w1 = wo + cols, w2 = w1 + cols, w3 = w2 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0; c < bound; c += L) {
            FloatVector v0 = FloatVector.fromArray(F, w, wo + c);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + c);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + c);
            FloatVector u = FloatVector.fromArray(F, x, xo + c);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            a02 = u.fma(v2, a02);
            a03 = u.fma(v3, a03);
            u = FloatVector.fromArray(F, x, x1 + c);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            a12 = u.fma(v2, a12);
            a13 = u.fma(v3, a13);
            u = FloatVector.fromArray(F, x, x2 + c);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            a22 = u.fma(v2, a22);
            a23 = u.fma(v3, a23);
            u = FloatVector.fromArray(F, x, x3 + c);
            a30 = u.fma(v0, a30);
            a31 = u.fma(v1, a31);
            a32 = u.fma(v2, a32);
            a33 = u.fma(v3, a33);
        }
        // written out, not a call: see strip16
        if (foldInRegisters) {
            FloatVector e0 = pair(a00, a20, UPPER8, SWAP8), e1 = pair(a01, a21, UPPER8, SWAP8);
            FloatVector e2 = pair(a02, a22, UPPER8, SWAP8), e3 = pair(a03, a23, UPPER8, SWAP8);
            FloatVector e4 = pair(a10, a30, UPPER8, SWAP8), e5 = pair(a11, a31, UPPER8, SWAP8);
            FloatVector e6 = pair(a12, a32, UPPER8, SWAP8), e7 = pair(a13, a33, UPPER8, SWAP8);
            FloatVector q0 = pair(e0, e4, UPPER4, SWAP4), q1 = pair(e1, e5, UPPER4, SWAP4);
            FloatVector q2 = pair(e2, e6, UPPER4, SWAP4), q3 = pair(e3, e7, UPPER4, SWAP4);
            pair(pair(q0, q2, UPPER2, SWAP2), pair(q1, q3, UPPER2, SWAP2), UPPER1, SWAP1).intoArray(tmp, 0);
        } else {
            a00.intoArray(tmp, 0); a01.intoArray(tmp, 16); a02.intoArray(tmp, 32); a03.intoArray(tmp, 48);
            a10.intoArray(tmp, 64); a11.intoArray(tmp, 80); a12.intoArray(tmp, 96); a13.intoArray(tmp, 112);
            a20.intoArray(tmp, 128); a21.intoArray(tmp, 144); a22.intoArray(tmp, 160); a23.intoArray(tmp, 176);
            a30.intoArray(tmp, 192); a31.intoArray(tmp, 208); a32.intoArray(tmp, 224); a33.intoArray(tmp, 240);
            treesInPlace(tmp);
        }
        for (int c = bound; c < cols; c++) {
            for (int t = 0; t < 4; t++) {
                float xv = x[xo + t * cols + c];
                for (int r = 0; r < 4; r++) {
                    tmp[4 * t + r] = Math.fma(xv, w[wo + r * cols + c], tmp[4 * t + r]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- shared pieces

    /** The canonical dot product of x[xo ..] and w[wo ..] over len terms; tmp: 16 floats of scratch. */
    float dot(float[] x, int xo, float[] w, int wo, int len, float[] tmp) {
        int bound = F.loopBound(len);
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0; c < bound; c += L) {
            acc = FloatVector.fromArray(F, x, xo + c).fma(FloatVector.fromArray(F, w, wo + c), acc);
        }
        float s = fold(acc, tmp);
        for (int c = bound; c < len; c++) {
            s = Math.fma(x[xo + c], w[wo + c], s);
        }
        return s;
    }

    /** The canonical folding tree of one accumulator; tmp: 16 floats of scratch. */
    float fold(FloatVector v, float[] tmp) {
        if (foldInRegisters) {
            v = v.add(v.rearrange(SWAP8));
            v = v.add(v.rearrange(SWAP4));
            v = v.add(v.rearrange(SWAP2));
            v = v.add(v.rearrange(SWAP1));
            return v.lane(0);
        }
        v.intoArray(tmp, 0);
        return CanonicalSum.tree(tmp);
    }

    /** Replaces the 16 accumulators stored in tmp[16 j ..] by their folded sums in tmp[j]. */
    private static void treesInPlace(float[] tmp) {
        // j ascending: tmp[j] is written only after accumulator j (at 16 j >= j) has been read
        for (int j = 0; j < 16; j++) {
            tmp[j] = CanonicalSum.tree(tmp, 16 * j);
        }
    }

    /** Lane i: a[i] + a[i ^ g] where bit g of i is clear, b[i] + b[i ^ g] where it is set. */
    private static FloatVector pair(FloatVector a, FloatVector b, VectorMask<Float> upper, VectorShuffle<Float> swap) {
        return a.blend(b, upper).add(b.blend(a, upper).rearrange(swap));
    }

    /** 16 bfloat16 values from w[i ..] as floats: the bits shifted into the top half. */
    static FloatVector bf16(short[] w, int i) {
        return ((IntVector) ShortVector.fromArray(S, w, i).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }

    /**
     * 16 IEEE half values from w[i ..] as floats, exactly: the magnitude bits moved into float position
     * and scaled by 2^112 (right for normal and subnormal halves alike), infinities and NaN rebuilt,
     * the sign put back.
     */
    static FloatVector f16(short[] w, int i) {
        IntVector h = (IntVector) ShortVector.fromArray(S, w, i).convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = h.and(0x7fff);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector special = shifted.or(0x7f800000);
        IntVector bits = finite.blend(special, magnitude.compare(VectorOperators.GE, 0x7c00));
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return bits.or(sign).reinterpretAsFloats();
    }

    /** Row r of w as floats into dst[dstOff ..], 16-bit rows widened with the vector conversions. */
    static void widenRow(Matrix w, int r, float[] dst, int dstOff) {
        int cols = w.cols();
        int base = r * cols;
        int bound = F.loopBound(cols);
        switch (w.storage()) {
            case F32 -> System.arraycopy(w.f32(), base, dst, dstOff, cols);
            case BF16 -> {
                short[] b = w.bits16();
                for (int c = 0; c < bound; c += L) bf16(b, base + c).intoArray(dst, dstOff + c);
                for (int c = bound; c < cols; c++) dst[dstOff + c] = Bits16.bf16ToFloat(b[base + c]);
            }
            case F16 -> {
                short[] b = w.bits16();
                for (int c = 0; c < bound; c += L) f16(b, base + c).intoArray(dst, dstOff + c);
                for (int c = bound; c < cols; c++) dst[dstOff + c] = Bits16.f16ToFloat(b[base + c]);
            }
        }
    }
}
