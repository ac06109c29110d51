package dev.linnet.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastExp#exp} on whole vectors, and the element-wise forms built on it, in one loop: the same operations in
 * the same order as the scalar forms, so the same bits.
 *
 * <p>The exponential is written out in the loop rather than kept as a method taking and returning a vector: C2
 * compiles such a helper on its own once some caller has not inlined it, and then refuses to inline its large
 * compiled body anywhere else ("already compiled into a big method"); every call then passes its vectors boxed, an
 * allocation per operation. Which caller got compiled first decided that, so some launches ran the window layer's
 * softmax boxed (70 KiB allocated a token at 512 tokens) and others did not. Callers pass arrays, which never box.
 */
final class VectorExp {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final int L = F.length();

    /** out = exp(x). */
    static final int EXP = 0;
    /** out = exp(x - shift). */
    static final int EXP_SHIFTED = 1;
    /** out = 1 / (1 + exp(-x)). */
    static final int SIGMOID = 2;
    /** out = x / (1 + exp(-x)). */
    static final int SILU = 3;
    /** out = x / (1 + exp(-x)) * y. */
    static final int SILU_TIMES = 4;

    private VectorExp() {}

    /**
     * out[outOff + i] = form of x[off + i] (and y[yOff + i]) for i below len rounded down to whole vectors; returns
     * that count, from which callers finish with the scalar form. out may be x (same offset).
     */
    static int apply(int form, float[] x, int off, int len, float shift, float[] y, int yOff, float[] out, int outOff) {
        int bound = F.loopBound(len);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            FloatVector a = form == EXP ? v : form == EXP_SHIFTED ? v.sub(shift) : v.neg();
            a = a.max(FastExp.LO).min(FastExp.HI);
            FloatVector t = a.fma(FastExp.LOG2E, FastExp.MAGIC);
            FloatVector n = t.sub(FastExp.MAGIC).neg();
            FloatVector r = n.fma(FloatVector.broadcast(F, FastExp.LN2_HI), a);
            r = n.fma(FloatVector.broadcast(F, FastExp.LN2_LO), r);
            FloatVector p = FloatVector.broadcast(F, FastExp.C5).fma(r, FloatVector.broadcast(F, FastExp.C4));
            p = p.fma(r, FloatVector.broadcast(F, FastExp.C3));
            p = p.fma(r, FloatVector.broadcast(F, FastExp.C2));
            p = p.fma(r, FloatVector.broadcast(F, FastExp.C1));
            p = p.fma(r, FloatVector.broadcast(F, FastExp.C0));
            FloatVector q = p.fma(r.mul(r), r).add(1f);
            IntVector bits = (IntVector) t.reinterpretAsInts();
            IntVector e = bits.sub(FastExp.MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
            FloatVector ex = ((IntVector) q.reinterpretAsInts()).add(e).reinterpretAsFloats();
            FloatVector res;
            if (form <= EXP_SHIFTED) {
                res = ex;
            } else if (form == SIGMOID) {
                res = one.div(one.add(ex));
            } else {
                res = v.div(one.add(ex));
                if (form == SILU_TIMES) {
                    res = res.mul(FloatVector.fromArray(F, y, yOff + i));
                }
            }
            res.intoArray(out, outOff + i);
        }
        return bound;
    }
}
