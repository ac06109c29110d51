package dev.linnet.engine.layers;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import dev.linnet.engine.kernels.Workspace;
import dev.linnet.engine.layers.lightning.LightningForm;
import java.util.List;

/**
 * A lightning attention layer: SiLU over the fused qkv projection (per head: q, k, v interleaved), the
 * linear attention of {@link LightningForm} per head, RMSNorm over all heads' output, a sigmoid gate computed
 * from the layer input, and the output projection. Its whole memory is one [heads, d, d] state per stream.
 */
public final class LightningAttention {
    private static final Workspace.Slot QKV = Workspace.slot("lightning: q, k, v");
    private static final Workspace.Slot HEADS = Workspace.slot("lightning: heads' output");
    private static final Workspace.Slot GATE = Workspace.slot("lightning: output gate");
    private final Matrix qkvProj; // [3 * heads * d, hidden]
    private final Matrix outputGate; // [heads * d, hidden]
    private final Matrix outProj; // [hidden, heads * d]
    private final RmsNorm norm; // over heads * d, eps 1e-6
    private final LightningForm form;
    private final int heads;
    private final int d;

    public LightningAttention(
            Matrix qkvProj,
            Matrix outputGate,
            Matrix outProj,
            RmsNorm norm,
            LightningForm form,
            int heads,
            int headDim) {
        this.qkvProj = qkvProj;
        this.outputGate = outputGate;
        this.outProj = outProj;
        this.norm = norm;
        this.form = form;
        this.heads = heads;
        this.d = headDim;
    }

    /** Size of one stream's state for this layer, in floats. */
    public int stateSize() {
        return heads * d * d;
    }

    /**
     * @param x      the batch's normalised rows [rows, hidden]
     * @param states per segment, that stream's [heads, d, d] state for this layer (advanced in place)
     * @param y      receives the layer output [rows, hidden]
     */
    public void forward(Kernels k, float[] x, int rows, List<Segment> segments, float[][] states, float[] y) {
        int width = heads * d;
        int stride = 3 * width;
        Workspace ws = Workspace.ofThread();
        float[] qkv = ws.floats(QKV, rows * stride);
        k.matmul(x, rows, qkvProj, qkv);
        k.silu(qkv, 0, rows * stride);

        float[] attn = ws.floats(HEADS, rows * width);
        // every (stream, head) pair is independent: its own slice of the state and of the output
        k.forEachTask(segments.size() * heads, task -> {
            int s = task / heads, h = task % heads;
            Segment seg = segments.get(s);
            int hb = seg.rowStart() * stride + h * 3 * d;
            form.attend(
                    h,
                    qkv,
                    hb,
                    hb + d,
                    hb + 2 * d,
                    stride,
                    seg.length(),
                    states[s],
                    h * d * d,
                    attn,
                    seg.rowStart() * width + h * d,
                    width);
        });
        norm.apply(k, attn, attn, rows);

        float[] gate = ws.floats(GATE, rows * width);
        k.matmul(x, rows, outputGate, gate);
        k.sigmoid(gate, 0, rows * width);
        k.multiply(gate, 0, attn, 0, rows * width);
        k.matmul(attn, rows, outProj, y);
    }
}
