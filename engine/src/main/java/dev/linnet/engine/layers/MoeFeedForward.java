package dev.linnet.engine.layers;

import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;

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

    /**
     * Each thread's work arrays, grown as needed and kept between calls: a chunk of 512 tokens through the
     * benchmark model's experts took about 16 MB of fresh arrays a layer, each over G1's humongous size in a 2 GiB
     * heap, and the collections they caused took a tenth of prefill's time. Per thread, because a model is
     * shared by the scorers of a TaskManager.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] logits = new float[0], weight = new float[0], w = new float[0];
        float[] xs = new float[0], gu = new float[0], act = new float[0], out = new float[0];
        int[] chosen = new int[0], which = new int[0];

        static float[] fit(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }

        static int[] fit(int[] a, int n) {
            return a.length >= n ? a : new int[n];
        }
    }

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
        Scratch sc = SCRATCH.get();
        float[] logits = sc.logits = Scratch.fit(sc.logits, rows * experts);
        k.matmul(x, rows, router, logits);
        // routing: chosen[r * topK + j] = expert, weight[...] = its renormalised probability
        int[] chosen = sc.chosen = Scratch.fit(sc.chosen, rows * topK);
        float[] weight = sc.weight = Scratch.fit(sc.weight, rows * topK);
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
            int[] which = sc.which = Scratch.fit(sc.which, m);
            float[] w = sc.w = Scratch.fit(sc.w, m);
            float[] xs = sc.xs = Scratch.fit(sc.xs, m * hidden);
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
            float[] gu = sc.gu = Scratch.fit(sc.gu, m * 2 * inter);
            k.matmul(xs, m, gateUp[e], gu);
            float[] act = sc.act = Scratch.fit(sc.act, m * inter);
            k.swiglu(gu, m, inter, act);
            float[] out = sc.out = Scratch.fit(sc.out, m * hidden);
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
