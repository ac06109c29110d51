package dev.linnet.engine.longrun;

import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The reference for long streams: the architecture in float64, one token at a time, written straight from the
 * definitions and sharing no code with the engine but the file reader. Lightning layers run the recurrence
 * S = exp(-slope) S + k^T v, o = q S (decay computed in float64 from the slope formula); softmax layers keep a
 * ring of the last {@code window} rotated keys and values; experts are looped one by one. Scalar loops, no
 * blocking, no vector kernels: slow (about 10^3 tokens/s on one core for the tiny reference model) and plain.
 *
 * <p>Its state has the engine's layouts: lightning layer i's [heads, d, d] with S[i][j] summing k_i v_j at
 * {@code h*d*d + i*d + j}; a softmax layer's rings [window, kvHeads * d], entry p % window holding position p.
 */
final class Reference64Stream {
    private final ModelConfig c;
    private final int window;
    private final double[] embed;
    private final double[] lmHead;
    private final double[] finalNorm;
    private final Layer[] layers;
    private final double[][] linear;
    private final double[][] keys;
    private final double[][] values;
    private final double[] lastHidden;
    private long position;

    private static final class Layer {
        double[] inputNorm, postNorm;
        // lightning
        double[] qkv, gate, out, attnNorm;
        double[] decay; // per head exp(-slope)
        // softmax
        double[] q, k, v, o;
        // experts
        double[] router;
        double[][] w1, w2, w3;
        int stateIndex;
        boolean lightning;
    }

    /** A fresh stream (zero state) whose first token will be at absolute position {@code start}. */
    Reference64Stream(Path dir, long start) throws IOException {
        this.c = ConfigParser.read(dir.resolve("config.json"));
        if (c.slidingWindow() <= 0) throw new IllegalArgumentException("the reference needs a config with a window");
        this.window = c.slidingWindow();
        this.position = start;
        try (Checkpoint ck = Checkpoint.open(dir)) {
            embed = ck.readDoubles("model.embed_tokens.weight");
            lmHead = ck.has("lm_head.weight") ? ck.readDoubles("lm_head.weight") : embed;
            finalNorm = ck.readDoubles("model.norm.weight");
            layers = new Layer[c.numHiddenLayers()];
            int lin = 0, soft = 0;
            for (int l = 0; l < layers.length; l++) {
                String p = "model.layers." + l + ".";
                Layer y = new Layer();
                y.inputNorm = ck.readDoubles(p + "input_layernorm.weight");
                y.postNorm = ck.readDoubles(p + "post_attention_layernorm.weight");
                y.lightning = c.layerType(l) == LayerType.LINEAR;
                if (y.lightning) {
                    y.stateIndex = lin++;
                    y.qkv = ck.readDoubles(p + "self_attn.qkv_proj.weight");
                    y.gate = ck.readDoubles(p + "self_attn.output_gate.weight");
                    y.out = ck.readDoubles(p + "self_attn.out_proj.weight");
                    y.attnNorm = ck.readDoubles(p + "self_attn.norm.weight");
                    int nh = c.numAttentionHeads();
                    y.decay = new double[nh];
                    double base = Math.pow(2, -8.0 / nh);
                    double factor = 1 - l / (c.numHiddenLayers() - 1 + 1e-5) + 1e-5;
                    for (int h = 0; h < nh; h++) y.decay[h] = Math.exp(-Math.pow(base, h + 1) * factor);
                } else {
                    y.stateIndex = soft++;
                    y.q = ck.readDoubles(p + "self_attn.q_proj.weight");
                    y.k = ck.readDoubles(p + "self_attn.k_proj.weight");
                    y.v = ck.readDoubles(p + "self_attn.v_proj.weight");
                    y.o = ck.readDoubles(p + "self_attn.o_proj.weight");
                }
                y.router = ck.readDoubles(p + "block_sparse_moe.gate.weight");
                int e = c.numLocalExperts();
                y.w1 = new double[e][];
                y.w2 = new double[e][];
                y.w3 = new double[e][];
                for (int i = 0; i < e; i++) {
                    String q = p + "block_sparse_moe.experts." + i + ".";
                    y.w1[i] = ck.readDoubles(q + "w1.weight");
                    y.w2[i] = ck.readDoubles(q + "w2.weight");
                    y.w3[i] = ck.readDoubles(q + "w3.weight");
                }
                layers[l] = y;
            }
            int d = c.headDim();
            linear = new double[lin][c.numAttentionHeads() * d * d];
            keys = new double[soft][window * c.numKeyValueHeads() * d];
            values = new double[soft][window * c.numKeyValueHeads() * d];
            lastHidden = new double[c.hiddenSize()];
        }
    }

    ModelConfig config() {
        return c;
    }

    long position() {
        return position;
    }

    int linearLayers() {
        return linear.length;
    }

    double[] linear(int i) {
        return linear[i];
    }

    double[] keys(int i) {
        return keys[i];
    }

    double[] values(int i) {
        return values[i];
    }

    /** The final normalised hidden state after the last token. */
    double[] lastHidden() {
        return lastHidden;
    }

    /** Next-token logits from the last hidden state [vocab]. */
    double[] nextLogits() {
        return linear(lastHidden, lmHead, c.vocabSize());
    }

    /** Advances the stream by one token. */
    void step(int token) {
        int h = c.hiddenSize();
        double[] x = new double[h];
        System.arraycopy(embed, token * h, x, 0, h);
        for (Layer y : layers) {
            double[] hn = norm(x, y.inputNorm, c.rmsNormEps());
            double[] a;
            double alpha, beta;
            if (y.lightning) {
                a = lightning(y, hn);
                alpha = c.linearAttnAlpha();
                beta = c.linearAttnBeta();
            } else {
                a = softmax(y, hn);
                alpha = c.fullAttnAlpha();
                beta = c.fullAttnBeta();
            }
            for (int i = 0; i < h; i++) x[i] = hn[i] * alpha + a[i] * beta;
            hn = norm(x, y.postNorm, c.rmsNormEps());
            double[] m = moe(y, hn);
            for (int i = 0; i < h; i++) x[i] = hn[i] * c.mlpAlpha() + m[i] * c.mlpBeta();
        }
        System.arraycopy(norm(x, finalNorm, c.rmsNormEps()), 0, lastHidden, 0, h);
        position++;
    }

    private double[] lightning(Layer y, double[] x) {
        int d = c.headDim(), nh = c.numAttentionHeads();
        double[] qkv = linear(x, y.qkv, 3 * nh * d);
        for (int i = 0; i < qkv.length; i++) qkv[i] = qkv[i] / (1 + Math.exp(-qkv[i]));
        double[] s = linear[y.stateIndex];
        double[] o = new double[nh * d];
        for (int head = 0; head < nh; head++) {
            int q0 = head * 3 * d, k0 = q0 + d, v0 = q0 + 2 * d, s0 = head * d * d;
            double lambda = y.decay[head];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    s[s0 + i * d + j] = lambda * s[s0 + i * d + j] + qkv[k0 + i] * qkv[v0 + j];
                }
            }
            for (int j = 0; j < d; j++) {
                double acc = 0;
                for (int i = 0; i < d; i++) acc += qkv[q0 + i] * s[s0 + i * d + j];
                o[head * d + j] = acc;
            }
        }
        o = norm(o, y.attnNorm, ModelConfig.LIGHTNING_NORM_EPS);
        double[] g = linear(x, y.gate, nh * d);
        for (int i = 0; i < o.length; i++) o[i] *= 1 / (1 + Math.exp(-g[i]));
        return linear(o, y.out, c.hiddenSize());
    }

    private double[] softmax(Layer y, double[] x) {
        int d = c.headDim(), nh = c.numAttentionHeads(), nkv = c.numKeyValueHeads(), kvw = nkv * d;
        double[] q = linear(x, y.q, nh * d);
        double[] k = linear(x, y.k, kvw);
        double[] v = linear(x, y.v, kvw);
        rotate(q, nh, position);
        rotate(k, nkv, position);
        double[] ringK = keys[y.stateIndex], ringV = values[y.stateIndex];
        int slot = (int) (position % window);
        System.arraycopy(k, 0, ringK, slot * kvw, kvw);
        System.arraycopy(v, 0, ringV, slot * kvw, kvw);
        // the positions this query sees: the last window ones, itself included, none before the stream's start
        long lo = Math.max(0, position - window + 1);
        int m = (int) (position - lo + 1);
        double[] o = new double[nh * d];
        double[] sc = new double[m];
        for (int head = 0; head < nh; head++) {
            int g = head / (nh / nkv);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                int r = (int) ((lo + j) % window) * kvw + g * d;
                double acc = 0;
                for (int i = 0; i < d; i++) acc += q[head * d + i] * ringK[r + i];
                sc[j] = acc / Math.sqrt(d);
                max = Math.max(max, sc[j]);
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sc[j] = Math.exp(sc[j] - max);
                sum += sc[j];
            }
            for (int j = 0; j < m; j++) {
                int r = (int) ((lo + j) % window) * kvw + g * d;
                for (int i = 0; i < d; i++) o[head * d + i] += sc[j] / sum * ringV[r + i];
            }
        }
        return linear(o, y.o, c.hiddenSize());
    }

    /** NeoX-style rotation of the first rotaryDim dimensions of each head, angles in float64 from the position. */
    private void rotate(double[] x, int heads, long pos) {
        int d = c.headDim(), rot = c.rotaryDim();
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < rot / 2; i++) {
                double ang = pos * Math.pow(c.ropeTheta(), -2.0 * i / rot);
                double a = x[head * d + i], b = x[head * d + i + rot / 2];
                x[head * d + i] = a * Math.cos(ang) - b * Math.sin(ang);
                x[head * d + i + rot / 2] = b * Math.cos(ang) + a * Math.sin(ang);
            }
        }
    }

    private double[] moe(Layer y, double[] x) {
        int h = c.hiddenSize(), e = c.numLocalExperts(), inter = c.intermediateSize();
        double[] logit = linear(x, y.router, e);
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logit) max = Math.max(max, l);
        double sum = 0;
        double[] prob = new double[e];
        for (int i = 0; i < e; i++) {
            prob[i] = Math.exp(logit[i] - max);
            sum += prob[i];
        }
        boolean[] chosen = new boolean[e];
        double kept = 0;
        for (int j = 0; j < c.numExpertsPerTok(); j++) {
            int best = -1;
            for (int i = 0; i < e; i++) if (!chosen[i] && (best < 0 || prob[i] > prob[best])) best = i;
            chosen[best] = true;
            kept += prob[best] / sum;
        }
        double[] out = new double[h];
        for (int i = 0; i < e; i++) {
            if (!chosen[i]) continue;
            double[] g = linear(x, y.w1[i], inter);
            double[] u = linear(x, y.w3[i], inter);
            for (int j = 0; j < inter; j++) g[j] = g[j] / (1 + Math.exp(-g[j])) * u[j];
            double[] dn = linear(g, y.w2[i], h);
            double weight = prob[i] / sum / kept;
            for (int j = 0; j < h; j++) out[j] += weight * dn[j];
        }
        return out;
    }

    private static double[] norm(double[] x, double[] weight, double eps) {
        double ms = 0;
        for (double v : x) ms += v * v;
        double inv = 1 / Math.sqrt(ms / x.length + eps);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = weight[i] * x[i] * inv;
        return y;
    }

    private static double[] linear(double[] x, double[] w, int rows) {
        int cols = x.length;
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            for (int i = 0; i < cols; i++) acc += w[r * cols + i] * x[i];
            y[r] = acc;
        }
        return y;
    }
}
