package dev.linnet.engine.longrun;

import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Bounds on a stream's state that hold for every stream of any length, computed from a checkpoint's weights.
 *
 * <p>A layer's input passes an RMSNorm, so its Euclidean norm is at most max|w| sqrt(hidden). A projection row r
 * then gives at most |W_r| times that, and SiLU keeps a value within [-0.279, max(z, 0)]. A lightning state entry
 * S[i][j] = sum over t of lambda^t k_i v_j is therefore at most K_i V_j / (1 - lambda) for the head's decay
 * lambda = exp(-slope); a ring entry is a rotated key (a pair's length kept, so at most sqrt 2 times the largest
 * key entry) or a value. Loose (hundreds of times what random streams reach in the slowest heads), but the
 * same for a stream of any length.
 */
record StateBounds(double[] linear, double[] keys, double[] values) {
    private static final double SILU_MIN = 0.2785;

    static StateBounds of(Path dir) throws IOException {
        ModelConfig c = ConfigParser.read(dir.resolve("config.json"));
        int h = c.hiddenSize(), d = c.headDim(), nh = c.numAttentionHeads();
        double[] linear = new double[c.countLayers(LayerType.LINEAR)];
        double[] keys = new double[c.countLayers(LayerType.SOFTMAX)];
        double[] values = new double[keys.length];
        try (Checkpoint ck = Checkpoint.open(dir)) {
            int lin = 0, soft = 0;
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                String p = "model.layers." + l + ".";
                double input = maxAbs(ck.readDoubles(p + "input_layernorm.weight")) * Math.sqrt(h);
                if (c.layerType(l) == LayerType.LINEAR) {
                    double[] rows = rowNorms(ck.readDoubles(p + "self_attn.qkv_proj.weight"), h);
                    double base = Math.pow(2, -8.0 / nh);
                    double factor = 1 - l / (c.numHiddenLayers() - 1 + 1e-5) + 1e-5;
                    double most = 0;
                    for (int head = 0; head < nh; head++) {
                        double decay = Math.exp(-Math.pow(base, head + 1) * factor);
                        double k = 0, v = 0;
                        for (int i = 0; i < d; i++) {
                            k = Math.max(k, Math.max(SILU_MIN, rows[head * 3 * d + d + i] * input));
                            v = Math.max(v, Math.max(SILU_MIN, rows[head * 3 * d + 2 * d + i] * input));
                        }
                        most = Math.max(most, k * v / (1 - decay));
                    }
                    linear[lin++] = most;
                } else {
                    keys[soft] = Math.sqrt(2) * max(rowNorms(ck.readDoubles(p + "self_attn.k_proj.weight"), h)) * input;
                    values[soft] = max(rowNorms(ck.readDoubles(p + "self_attn.v_proj.weight"), h)) * input;
                    soft++;
                }
            }
        }
        return new StateBounds(linear, keys, values);
    }

    private static double[] rowNorms(double[] w, int cols) {
        double[] n = new double[w.length / cols];
        for (int r = 0; r < n.length; r++) {
            double s = 0;
            for (int i = 0; i < cols; i++) s += w[r * cols + i] * w[r * cols + i];
            n[r] = Math.sqrt(s);
        }
        return n;
    }

    private static double max(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, x);
        return m;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, Math.abs(x));
        return m;
    }
}
