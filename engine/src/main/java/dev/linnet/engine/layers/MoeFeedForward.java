package dev.linnet.engine.layers;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import dev.linnet.engine.kernels.Workspace;

/**
 * Mixture of SwiGLU experts with top-k routing: softmax over all experts' router logits, the k largest
 * kept (ties to the lower index) and renormalised to sum 1, each chosen expert's
 * down(silu(gate(x)) * up(x)) weighted and summed in expert order. Rows routed to one expert are gathered
 * so each expert runs one matrix product over all its rows of the batch.
 */
public final class MoeFeedForward {
    private final Matrix router; // [experts, hidden]
    private final Matrix[]
            gateUp; // per expert [2 * inter, hidden]: rows [0, inter) gate (w1), [inter, 2 inter) up (w3)
    private final Matrix[] down; // per expert [hidden, inter] (w2)
    private final int topK;
    private final int inter;
    private final int hidden;

    // work arrays kept per thread (a 512-token chunk through the benchmark model's experts took about 16 MB of
    // fresh arrays a layer, and the collections they caused a tenth of prefill's time)
    private static final Workspace.Slot ROUTER_LOGITS = Workspace.slot("experts: router logits");
    private static final Workspace.Slot CHOSEN = Workspace.slot("experts: chosen experts");
    private static final Workspace.Slot CHOSEN_WEIGHT = Workspace.slot("experts: chosen weights");
    private static final Workspace.Slot ROWS = Workspace.slot("experts: rows of one expert");
    private static final Workspace.Slot ROW_WEIGHT = Workspace.slot("experts: weights of one expert's rows");
    private static final Workspace.Slot GATHERED = Workspace.slot("experts: one expert's input rows");
    private static final Workspace.Slot GATE_UP = Workspace.slot("experts: gate and up");
    private static final Workspace.Slot ACTIVATION = Workspace.slot("experts: activation");
    private static final Workspace.Slot EXPERT_OUT = Workspace.slot("experts: one expert's output");

    public MoeFeedForward(Matrix router, Matrix[] gateUp, Matrix[] down, int topK) {
        this.router = router;
        this.gateUp = gateUp;
        this.down = down;
        this.topK = topK;
        this.inter = down[0].cols();
        this.hidden = down[0].rows();
    }

    public void forward(Kernels k, float[] x, int rows, float[] y) {
        int experts = router.rows();
        Workspace ws = Workspace.ofThread();
        float[] logits = ws.floats(ROUTER_LOGITS, rows * experts);
        k.matmul(x, rows, router, logits);
        // routing: chosen[r * topK + j] = expert, weight[...] = its renormalised probability
        int[] chosen = ws.ints(CHOSEN, rows * topK);
        float[] weight = ws.floats(CHOSEN_WEIGHT, rows * topK);
        int[] count = new int[experts];
        float[] prob = new float[experts];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(logits, r * experts, prob, 0, experts);
            k.softmax(prob, 0, experts);
            float kept = 0;
            for (int j = 0; j < topK; j++) {
                int best = -1;
                for (int e = 0; e < experts; e++) {
                    if (prob[e] >= 0 && (best < 0 || prob[e] > prob[best])) best = e;
                }
                chosen[r * topK + j] = best;
                weight[r * topK + j] = prob[best];
                kept += prob[best];
                prob[best] = -1f; // taken
                count[best]++;
            }
            for (int j = 0; j < topK; j++) weight[r * topK + j] /= kept;
        }

        java.util.Arrays.fill(y, 0, rows * hidden, 0f);
        for (int e = 0; e < experts; e++) {
            int m = count[e];
            if (m == 0) continue;
            int[] which = ws.ints(ROWS, m);
            float[] w = ws.floats(ROW_WEIGHT, m);
            float[] xs = ws.floats(GATHERED, m * hidden);
            int i = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < topK; j++) {
                    if (chosen[r * topK + j] == e) {
                        which[i] = r;
                        w[i] = weight[r * topK + j];
                        System.arraycopy(x, r * hidden, xs, i * hidden, hidden);
                        i++;
                    }
                }
            }
            float[] gu = ws.floats(GATE_UP, m * 2 * inter);
            k.matmul(xs, m, gateUp[e], gu);
            float[] act = ws.floats(ACTIVATION, m * inter);
            k.swiglu(gu, m, inter, act);
            float[] out = ws.floats(EXPERT_OUT, m * hidden);
            k.matmul(act, m, down[e], out);
            // each token is routed to an expert once, so the rows of y the ranges add to are distinct
            k.forEachRowRange(m, hidden, (from, to) -> {
                for (int t = from; t < to; t++) {
                    k.axpy(w[t], out, t * hidden, y, which[t] * hidden, hidden);
                }
            });
        }
    }
}
