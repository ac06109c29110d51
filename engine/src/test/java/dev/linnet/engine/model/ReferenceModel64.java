package dev.linnet.engine.model;

import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A second, independent implementation of the architecture for tests: float64 throughout, one pass over the
 * whole sequence, written straight from the definitions (the lightning recurrence, full softmax attention with
 * a window mask, experts looped one by one), sharing no code with the engine but the file reader.
 * It is checked against transformers' outputs, then used where transformers cannot serve as the reference
 * (partial rotation, which transformers 5.17 ignores for this model).
 */
final class ReferenceModel64 {
    private final ModelConfig c;
    private final Checkpoint ck;

    ReferenceModel64(Path dir, Checkpoint ck) throws IOException {
        this.c = ConfigParser.read(dir.resolve("config.json"));
        this.ck = ck;
    }

    private double[] w(String name) throws IOException {
        return ck.readDoubles(name);
    }

    /** Logits [n, vocab] of one full pass; window = the softmax layers' window. */
    double[] logits(int[] ids, int window) throws IOException {
        int n = ids.length, h = c.hiddenSize(), d = c.headDim(), nh = c.numAttentionHeads(), nkv = c.numKeyValueHeads();
        double[] emb = w("model.embed_tokens.weight");
        double[][] x = new double[n][h];
        for (int t = 0; t < n; t++) System.arraycopy(emb, ids[t] * h, x[t], 0, h);
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] hn = norm(x, w(p + "input_layernorm.weight"), c.rmsNormEps());
            double[][] a;
            double alpha, beta;
            if (c.layerType(l) == LayerType.LINEAR) {
                a = lightning(hn, p, l);
                alpha = c.linearAttnAlpha();
                beta = c.linearAttnBeta();
            } else {
                a = softmax(hn, p, window);
                alpha = c.fullAttnAlpha();
                beta = c.fullAttnBeta();
            }
            for (int t = 0; t < n; t++) for (int i = 0; i < h; i++) x[t][i] = hn[t][i] * alpha + a[t][i] * beta;
            hn = norm(x, w(p + "post_attention_layernorm.weight"), c.rmsNormEps());
            double[][] m = moe(hn, p);
            for (int t = 0; t < n; t++)
                for (int i = 0; i < h; i++) x[t][i] = hn[t][i] * c.mlpAlpha() + m[t][i] * c.mlpBeta();
        }
        x = norm(x, w("model.norm.weight"), c.rmsNormEps());
        double[] head = ck.has("lm_head.weight") ? w("lm_head.weight") : emb;
        double[] out = new double[n * c.vocabSize()];
        for (int t = 0; t < n; t++) {
            double[] row = linear(x[t], head, c.vocabSize());
            System.arraycopy(row, 0, out, t * c.vocabSize(), c.vocabSize());
        }
        return out;
    }

    private double[][] lightning(double[][] x, String p, int layer) throws IOException {
        int n = x.length, d = c.headDim(), nh = c.numAttentionHeads(), h = c.hiddenSize();
        double[] qkvW = w(p + "self_attn.qkv_proj.weight");
        double[][] out = new double[n][nh * d];
        for (int head = 0; head < nh; head++) {
            double base = Math.pow(2, -8.0 / nh);
            double slope = Math.pow(base, head + 1) * (1 - layer / (c.numHiddenLayers() - 1 + 1e-5) + 1e-5);
            double[][] s = new double[d][d];
            for (int t = 0; t < n; t++) {
                double[] qkv = linear(x[t], qkvW, 3 * nh * d);
                int o = head * 3 * d;
                for (int i = 0; i < 3 * d; i++) qkv[o + i] = qkv[o + i] / (1 + Math.exp(-qkv[o + i]));
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++)
                        s[i][j] = Math.exp(-slope) * s[i][j] + qkv[o + d + i] * qkv[o + 2 * d + j];
                }
                for (int j = 0; j < d; j++) {
                    double acc = 0;
                    for (int i = 0; i < d; i++) acc += qkv[o + i] * s[i][j];
                    out[t][head * d + j] = acc;
                }
            }
        }
        out = norm(out, w(p + "self_attn.norm.weight"), 1e-6);
        double[] gateW = w(p + "self_attn.output_gate.weight");
        double[] outW = w(p + "self_attn.out_proj.weight");
        double[][] y = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] g = linear(x[t], gateW, nh * d);
            for (int i = 0; i < nh * d; i++) out[t][i] *= 1 / (1 + Math.exp(-g[i]));
            y[t] = linear(out[t], outW, h);
        }
        return y;
    }

    private double[][] softmax(double[][] x, String p, int window) throws IOException {
        int n = x.length, d = c.headDim(), nh = c.numAttentionHeads(), nkv = c.numKeyValueHeads(), h = c.hiddenSize();
        int rot = c.rotaryDim();
        double[][] q = new double[n][], k = new double[n][], v = new double[n][];
        double[] qW = w(p + "self_attn.q_proj.weight"),
                kW = w(p + "self_attn.k_proj.weight"),
                vW = w(p + "self_attn.v_proj.weight");
        for (int t = 0; t < n; t++) {
            q[t] = linear(x[t], qW, nh * d);
            k[t] = linear(x[t], kW, nkv * d);
            v[t] = linear(x[t], vW, nkv * d);
            rotate(q[t], nh, t, d, rot);
            rotate(k[t], nkv, t, d, rot);
        }
        double[][] o = new double[n][nh * d];
        for (int t = 0; t < n; t++) {
            for (int head = 0; head < nh; head++) {
                int g = head / (nh / nkv);
                double[] sc = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int u = 0; u <= t; u++) {
                    if (t - u >= window) {
                        sc[u] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double a = 0;
                    for (int i = 0; i < d; i++) a += q[t][head * d + i] * k[u][g * d + i];
                    sc[u] = a / Math.sqrt(d);
                    max = Math.max(max, sc[u]);
                }
                double sum = 0;
                for (int u = 0; u <= t; u++) {
                    sc[u] = Math.exp(sc[u] - max);
                    sum += sc[u];
                }
                for (int u = 0; u <= t; u++) {
                    for (int i = 0; i < d; i++) o[t][head * d + i] += sc[u] / sum * v[u][g * d + i];
                }
            }
        }
        double[] oW = w(p + "self_attn.o_proj.weight");
        double[][] y = new double[n][];
        for (int t = 0; t < n; t++) y[t] = linear(o[t], oW, h);
        return y;
    }

    /** NeoX-style rotation of the first rot dimensions of each head. */
    private void rotate(double[] x, int heads, int pos, int d, int rot) {
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < rot / 2; i++) {
                double ang = pos * Math.pow(c.ropeTheta(), -2.0 * i / rot);
                double a = x[head * d + i], b = x[head * d + i + rot / 2];
                x[head * d + i] = a * Math.cos(ang) - b * Math.sin(ang);
                x[head * d + i + rot / 2] = b * Math.cos(ang) + a * Math.sin(ang);
            }
        }
    }

    private double[][] moe(double[][] x, String p) throws IOException {
        int n = x.length, h = c.hiddenSize(), e = c.numLocalExperts(), inter = c.intermediateSize();
        double[] gate = w(p + "block_sparse_moe.gate.weight");
        double[][] y = new double[n][h];
        for (int t = 0; t < n; t++) {
            double[] logit = linear(x[t], gate, e);
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
            for (int i = 0; i < e; i++) {
                if (!chosen[i]) continue;
                String q = p + "block_sparse_moe.experts." + i + ".";
                double[] g = linear(x[t], w(q + "w1.weight"), inter);
                double[] u = linear(x[t], w(q + "w3.weight"), inter);
                for (int j = 0; j < inter; j++) g[j] = g[j] / (1 + Math.exp(-g[j])) * u[j];
                double[] dn = linear(g, w(q + "w2.weight"), h);
                double weight = prob[i] / sum / kept;
                for (int j = 0; j < h; j++) y[t][j] += weight * dn[j];
            }
        }
        return y;
    }

    private static double[][] norm(double[][] x, double[] weight, double eps) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double ms = 0;
            for (double v : x[t]) ms += v * v;
            double inv = 1 / Math.sqrt(ms / x[t].length + eps);
            y[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) y[t][i] = weight[i] * x[t][i] * inv;
        }
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
