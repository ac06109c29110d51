package dev.linnet.engine.layers;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;

import java.util.List;

/**
 * Softmax attention with grouped-query heads and RoPE, restricted to the last {@code window} positions
 * (the current one included). A stream keeps the keys (already rotated) and values of its last window
 * positions in a ring indexed by position mod window, so a chunk never needs the stream's history.
 */
public final class WindowAttention {
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

    public WindowAttention(Matrix qProj, Matrix kProj, Matrix vProj, Matrix oProj, Rope rope,
                           int heads, int kvHeads, int headDim, int window) {
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

    /** Floats of one ring (keys or values) for one stream. */
    public int ringSize() {
        return window * kvHeads * d;
    }

    /**
     * @param keys   per segment, that stream's key ring [window, kvHeads * d] (updated in place)
     * @param values per segment, its value ring
     */
    public void forward(Kernels k, float[] x, int rows, List<Segment> segments,
                        float[][] keys, float[][] values, float[] y) {
        int qw = heads * d;
        int kvw = kvHeads * d;
        float[] q = new float[rows * qw];
        float[] kk = new float[rows * kvw];
        float[] v = new float[rows * kvw];
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

        float[] attn = new float[rows * qw];
        float[] scores = new float[window];
        int group = heads / kvHeads;
        for (int s = 0; s < segments.size(); s++) {
            Segment seg = segments.get(s);
            long p0 = seg.position();
            float[] ringK = keys[s];
            float[] ringV = values[s];
            for (int t = 0; t < seg.length(); t++) {
                long p = p0 + t;
                long lo = Math.max(0, p - window + 1);
                int span = (int) (p - lo + 1);
                int r = seg.rowStart() + t;
                for (int h = 0; h < heads; h++) {
                    int g = h / group;
                    int qo = r * qw + h * d;
                    for (int u = 0; u < span; u++) {
                        long pp = lo + u;
                        scores[u] = pp < p0
                                ? k.dot(q, qo, ringK, (int) (pp % window) * kvw + g * d, d)
                                : k.dot(q, qo, kk, (seg.rowStart() + (int) (pp - p0)) * kvw + g * d, d);
                    }
                    k.scale(scores, 0, span, scale);
                    k.softmax(scores, 0, span);
                    int ao = r * qw + h * d;
                    for (int u = 0; u < span; u++) {
                        long pp = lo + u;
                        float w = scores[u];
                        if (pp < p0) {
                            k.axpy(w, ringV, (int) (pp % window) * kvw + g * d, attn, ao, d);
                        } else {
                            k.axpy(w, v, (seg.rowStart() + (int) (pp - p0)) * kvw + g * d, attn, ao, d);
                        }
                    }
                }
            }
            // only now may the chunk overwrite the ring: its own queries read the older entries above
            long first = Math.max(p0, p0 + seg.length() - window);
            for (long pp = first; pp < p0 + seg.length(); pp++) {
                int src = (seg.rowStart() + (int) (pp - p0)) * kvw;
                int dst = (int) (pp % window) * kvw;
                System.arraycopy(kk, src, ringK, dst, kvw);
                System.arraycopy(v, src, ringV, dst, kvw);
            }
        }
        k.matmul(attn, rows, oProj, y);
    }
}
