package dev.linnet.engine.model;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Workspace;
import dev.linnet.engine.layers.LightningAttention;
import dev.linnet.engine.layers.MoeFeedForward;
import dev.linnet.engine.layers.RmsNorm;
import dev.linnet.engine.layers.Segment;
import dev.linnet.engine.layers.WindowAttention;
import dev.linnet.engine.state.StreamState;
import java.util.List;

/**
 * One decoder layer with MiniMax's residual arrangement: the residual is taken AFTER each norm and mixed
 * with the sub-layer's output by alpha/beta factors:
 * h = norm1(x); x = alpha_attn * h + beta_attn * attn(h); h = norm2(x); x = alpha_mlp * h + beta_mlp * moe(h).
 */
final class DecoderLayer {
    private static final Workspace.Slot NORMED = Workspace.slot("decoder layer: normalised input");
    private static final Workspace.Slot SUBLAYER = Workspace.slot("decoder layer: sub-layer output");
    private final RmsNorm inputNorm;
    private final RmsNorm postAttentionNorm;
    private final LightningAttention lightning; // exactly one of lightning / window is set
    private final WindowAttention window;
    private final int stateIndex; // index among layers of its kind
    private final MoeFeedForward moe;
    private final float attnAlpha, attnBeta, mlpAlpha, mlpBeta;

    DecoderLayer(
            RmsNorm inputNorm,
            RmsNorm postAttentionNorm,
            LightningAttention lightning,
            WindowAttention window,
            int stateIndex,
            MoeFeedForward moe,
            double attnAlpha,
            double attnBeta,
            double mlpAlpha,
            double mlpBeta) {
        this.inputNorm = inputNorm;
        this.postAttentionNorm = postAttentionNorm;
        this.lightning = lightning;
        this.window = window;
        this.stateIndex = stateIndex;
        this.moe = moe;
        this.attnAlpha = (float) attnAlpha;
        this.attnBeta = (float) attnBeta;
        this.mlpAlpha = (float) mlpAlpha;
        this.mlpBeta = (float) mlpBeta;
    }

    boolean isLightning() {
        return lightning != null;
    }

    /** Runs the layer over the batch's rows x [rows, hidden] in place. */
    void forward(Kernels k, float[] x, int rows, int hidden, List<Segment> segments, List<StreamState> states) {
        int n = rows * hidden;
        Workspace ws = Workspace.ofThread();
        float[] h = ws.floats(NORMED, n);
        inputNorm.apply(k, x, h, rows);
        float[] a = ws.floats(SUBLAYER, n);
        if (lightning != null) {
            float[][] s = new float[segments.size()][];
            for (int i = 0; i < s.length; i++) s[i] = states.get(i).linear(stateIndex);
            lightning.forward(k, h, rows, segments, s, a);
        } else {
            float[][] ks = new float[segments.size()][];
            float[][] vs = new float[segments.size()][];
            for (int i = 0; i < ks.length; i++) {
                ks[i] = states.get(i).keys(stateIndex);
                vs[i] = states.get(i).values(stateIndex);
            }
            window.forward(k, h, rows, segments, ks, vs, a);
        }
        residual(k, x, h, attnAlpha, a, attnBeta, rows, hidden);
        postAttentionNorm.apply(k, x, h, rows);
        moe.forward(k, h, rows, a);
        residual(k, x, h, mlpAlpha, a, mlpBeta, rows, hidden);
    }

    /** x = h * alpha + a * beta, rows spread over the kernel threads (each element alone, so any split agrees). */
    private static void residual(
            Kernels k, float[] x, float[] h, float alpha, float[] a, float beta, int rows, int hidden) {
        k.forEachRowRange(rows, hidden, (from, to) -> {
            for (int i = from * hidden; i < to * hidden; i++) x[i] = h[i] * alpha + a[i] * beta;
        });
    }
}
