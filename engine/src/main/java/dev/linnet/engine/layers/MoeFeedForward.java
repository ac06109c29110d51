package dev.linnet.engine.layers;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import dev.linnet.engine.kernels.Workspace;
import java.util.Arrays;

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
    private static final Workspace.Slot ROWS = Workspace.slot("experts: each gathered row's row of the input");
    private static final Workspace.Slot SLOTS = Workspace.slot("experts: where each choice's row was gathered");
    private static final Workspace.Slot GATHERED = Workspace.slot("experts: input rows, gathered expert by expert");
    private static final Workspace.Slot ACTIVATION = Workspace.slot("experts: activation");
    private static final Workspace.Slot EXPERT_OUT = Workspace.slot("experts: outputs, expert by expert");

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
        // routing, row by row on the kernel threads: chosen[r * topK + j] = expert, weight[...] = its renormalised
        // probability
        int[] chosen = ws.ints(CHOSEN, rows * topK);
        float[] weight = ws.floats(CHOSEN_WEIGHT, rows * topK);
        k.forEachRowRange(rows, hidden, (from, to) -> route(k, logits, experts, from, to, chosen, weight));

        // the rows of each expert, in row order, one expert after another: source[i] is gathered row i's row of x,
        // slot[r * topK + j] is where row r's j-th choice sits among the gathered rows
        int choices = rows * topK;
        int[] start = new int[experts + 1];
        for (int i = 0; i < choices; i++) start[chosen[i] + 1]++;
        for (int e = 0; e < experts; e++) start[e + 1] += start[e];
        int[] next = Arrays.copyOf(start, experts);
        int[] source = ws.ints(ROWS, choices);
        int[] slot = ws.ints(SLOTS, choices);
        for (int i = 0; i < choices; i++) {
            int at = next[chosen[i]]++;
            source[at] = i / topK;
            slot[i] = at;
        }
        // with one expert every row goes to it, in order: nothing to gather
        float[] xs = experts == 1 ? x : ws.floats(GATHERED, choices * hidden);
        if (xs != x) {
            k.forEachRowRange(choices, hidden, (from, to) -> {
                for (int i = from; i < to; i++) System.arraycopy(x, source[i] * hidden, xs, i * hidden, hidden);
            });
        }
        // every expert over its rows, each step one parallel call for all experts
        float[] act = ws.floats(ACTIVATION, choices * inter);
        k.matmulBlocksSwiglu(xs, start, gateUp, act);
        float[] outs = ws.floats(EXPERT_OUT, choices * hidden);
        k.matmulBlocks(act, start, down, outs);
        // y[r] = sum of weight * output over r's experts in expert order, from +0: the sums of adding expert by expert
        k.forEachRowRange(rows, hidden, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * hidden;
                Arrays.fill(y, o, o + hidden, 0f);
                int done = -1; // the last expert added
                for (int n = 0; n < topK; n++) {
                    int pick = -1;
                    for (int j = 0; j < topK; j++) {
                        int e = chosen[r * topK + j];
                        if (e > done && (pick < 0 || e < chosen[r * topK + pick])) pick = j;
                    }
                    k.axpy(weight[r * topK + pick], outs, slot[r * topK + pick] * hidden, y, o, hidden);
                    done = chosen[r * topK + pick];
                }
            }
        });
    }

    /** Softmax over the experts' logits of rows [from, to), the topK largest kept (ties to the lower index). */
    private void route(Kernels k, float[] logits, int experts, int from, int to, int[] chosen, float[] weight) {
        float[] prob = new float[experts];
        for (int r = from; r < to; r++) {
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
            }
            for (int j = 0; j < topK; j++) weight[r * topK + j] /= kept;
        }
    }
}
