package dev.linnet.engine.model;

import dev.linnet.engine.config.ConfigException;
import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.Checkpoint;
import dev.linnet.engine.io.CheckpointFormatException;
import dev.linnet.engine.io.Confinement;
import dev.linnet.engine.io.DType;
import dev.linnet.engine.kernels.Bits16;
import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import dev.linnet.engine.layers.LightningAttention;
import dev.linnet.engine.layers.MoeFeedForward;
import dev.linnet.engine.layers.RmsNorm;
import dev.linnet.engine.layers.Rope;
import dev.linnet.engine.layers.WindowAttention;
import dev.linnet.engine.layers.lightning.LightningBlockwise;
import dev.linnet.engine.layers.lightning.LightningForm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds a {@link Model} from a HuggingFace checkpoint directory: config.json plus model.safetensors (or shards).
 * Accepts the per-expert names both transformers and the original release write
 * ({@code block_sparse_moe.experts.N.w1/w2/w3}, {@code block_sparse_moe.gate}) and the fused in-memory layout
 * ({@code mlp.experts.gate_up_proj}, {@code mlp.experts.down_proj}, {@code mlp.gate}). Decay tables stored in the
 * file are ignored: they are recomputed from the formula. Every tensor's shape is checked against the config
 * before its data is read.
 */
final class ModelLoader {
    /**
     * The engine's block length for lightning attention. Every block length computes the same function (the
     * forms' tests hold them together); shorter blocks make the quadratic intra-block part cheaper.
     */
    static final int LIGHTNING_BLOCK = 64;

    private final WeightSource ck;
    private final ModelConfig cfg;
    private final LoadOptions opts;
    private final MessageDigest digest;
    private final List<Matrix> used = new ArrayList<>();

    private ModelLoader(WeightSource ck, ModelConfig cfg, LoadOptions opts) {
        this.ck = ck;
        this.cfg = cfg;
        this.opts = opts;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Model load(Path dir, LoadOptions opts) throws IOException {
        Path root = opts.confinedTo();
        Path realDir = Confinement.check(dir, root);
        ModelConfig cfg = ConfigParser.read(Confinement.check(realDir.resolve("config.json"), root));
        try (Checkpoint ck = Checkpoint.open(realDir, root)) {
            return new ModelLoader(WeightSource.of(ck), cfg, opts).build();
        }
    }

    /** A model of the config's shape with seeded random weights (benchmarks, tests). */
    static Model random(ModelConfig cfg, long seed, LoadOptions opts) {
        DType dt = opts.weights() == LoadOptions.WeightPrecision.BF16 ? DType.BF16 : DType.F32;
        try {
            return build(new RandomWeights(seed, dt), cfg, opts.withWeights(LoadOptions.WeightPrecision.AS_STORED));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A model of the config's shape with the weights of any source (random ones, or a record of them). */
    static Model build(WeightSource source, ModelConfig cfg, LoadOptions opts) throws IOException {
        return new ModelLoader(source, cfg, opts).build();
    }

    private Model build() throws IOException {
        digest.update(cfg.canonical().getBytes(StandardCharsets.UTF_8));
        Kernels k = Kernels.get();
        int h = cfg.hiddenSize();
        int width = cfg.attentionWidth();
        int window = cfg.slidingWindow() > 0 ? cfg.slidingWindow() : opts.windowBound();
        if (cfg.slidingWindow() <= 0) {
            ConfigParser.checkStateSize(
                    ck.describe(),
                    cfg,
                    window,
                    "the load option's window bound " + window + " (config.json sets no sliding_window)");
        }
        if ((long) window * cfg.kvWidth() > Integer.MAX_VALUE - 8) {
            throw new ConfigException(ck.describe() + ": window " + window + " x kv width " + cfg.kvWidth()
                    + " is too large for a state");
        }
        Matrix embed = matrix("model.embed_tokens.weight", cfg.vocabSize(), h);
        Rope rope = new Rope(cfg.headDim(), cfg.rotaryDim(), cfg.ropeTheta());
        List<DecoderLayer> layers = new ArrayList<>();
        int linearIndex = 0;
        int windowIndex = 0;
        for (int l = 0; l < cfg.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            RmsNorm in = norm(p + "input_layernorm.weight", h, cfg.rmsNormEps());
            RmsNorm post = norm(p + "post_attention_layernorm.weight", h, cfg.rmsNormEps());
            LightningAttention lightning = null;
            WindowAttention win = null;
            int stateIndex;
            double alpha, beta;
            if (cfg.layerType(l) == LayerType.LINEAR) {
                double[] slopes = LightningForm.slopes(cfg.numAttentionHeads(), l, cfg.numHiddenLayers());
                lightning = new LightningAttention(
                        used(matrix(p + "self_attn.qkv_proj.weight", 3 * width, h)),
                        used(matrix(p + "self_attn.output_gate.weight", width, h)),
                        used(matrix(p + "self_attn.out_proj.weight", h, width)),
                        norm(p + "self_attn.norm.weight", width, ModelConfig.LIGHTNING_NORM_EPS),
                        new LightningBlockwise(k, cfg.headDim(), Math.min(cfg.blockSize(), LIGHTNING_BLOCK), slopes),
                        cfg.numAttentionHeads(),
                        cfg.headDim());
                stateIndex = linearIndex++;
                alpha = cfg.linearAttnAlpha();
                beta = cfg.linearAttnBeta();
            } else {
                win = new WindowAttention(
                        used(matrix(p + "self_attn.q_proj.weight", width, h)),
                        used(matrix(p + "self_attn.k_proj.weight", cfg.kvWidth(), h)),
                        used(matrix(p + "self_attn.v_proj.weight", cfg.kvWidth(), h)),
                        used(matrix(p + "self_attn.o_proj.weight", h, width)),
                        rope,
                        cfg.numAttentionHeads(),
                        cfg.numKeyValueHeads(),
                        cfg.headDim(),
                        window);
                stateIndex = windowIndex++;
                alpha = cfg.fullAttnAlpha();
                beta = cfg.fullAttnBeta();
            }
            MoeFeedForward moe = moe(l);
            layers.add(new DecoderLayer(
                    in, post, lightning, win, stateIndex, moe, alpha, beta, cfg.mlpAlpha(), cfg.mlpBeta()));
        }
        RmsNorm finalNorm = norm("model.norm.weight", h, cfg.rmsNormEps());
        Matrix lmHead;
        if (cfg.tieWordEmbeddings() && !ck.has("lm_head.weight")) {
            lmHead = used(embed);
        } else {
            lmHead = used(matrix("lm_head.weight", cfg.vocabSize(), h));
        }
        String fingerprint = HexFormat.of().formatHex(digest.digest());
        // lay every weight out for the kernels now, not on a stream's first record
        for (Matrix m : used) k.prepare(m);
        return new Model(cfg, k, embed, layers, finalNorm, lmHead, window, fingerprint);
    }

    /** Notes a matrix the model multiplies by, so its kernel layout is made at load time. */
    private Matrix used(Matrix m) {
        used.add(m);
        return m;
    }

    private MoeFeedForward moe(int l) throws IOException {
        int h = cfg.hiddenSize();
        int inter = cfg.intermediateSize();
        int experts = cfg.numLocalExperts();
        String p = "model.layers." + l + ".";
        Matrix[] gateUp = new Matrix[experts];
        Matrix[] down = new Matrix[experts];
        Matrix router;
        if (ck.has(p + "block_sparse_moe.gate.weight")) {
            router = used(matrix(p + "block_sparse_moe.gate.weight", experts, h));
            for (int e = 0; e < experts; e++) {
                String q = p + "block_sparse_moe.experts." + e + ".";
                Matrix w1 = matrix(q + "w1.weight", inter, h);
                Matrix w3 = matrix(q + "w3.weight", inter, h);
                gateUp[e] = used(stack(w1, w3));
                down[e] = used(matrix(q + "w2.weight", h, inter));
            }
        } else if (ck.has(p + "mlp.gate.weight")) {
            router = used(matrix(p + "mlp.gate.weight", experts, h));
            Matrix gu = matrix(
                    p + "mlp.experts.gate_up_proj", (long) experts * 2 * inter, h, new long[] {experts, 2L * inter, h});
            Matrix dn = matrix(p + "mlp.experts.down_proj", (long) experts * h, inter, new long[] {experts, h, inter});
            for (int e = 0; e < experts; e++) {
                gateUp[e] = used(slice(gu, e * 2 * inter, 2 * inter));
                down[e] = used(slice(dn, e * h, h));
            }
        } else {
            throw new CheckpointFormatException(
                    ck.describe() + ": layer " + l + " has no mixture-of-experts weights (neither " + p
                            + "block_sparse_moe.gate.weight nor " + p + "mlp.gate.weight)");
        }
        return new MoeFeedForward(router, gateUp, down, cfg.numExpertsPerTok());
    }

    private RmsNorm norm(String name, int width, double eps) throws IOException {
        float[] w = ck.readFloats(name, width);
        requireFinite(name, w, width, "");
        hashFloats(name, w);
        return new RmsNorm(w, eps);
    }

    private Matrix matrix(String name, long rows, long cols) throws IOException {
        return matrix(name, rows, cols, new long[] {rows, cols});
    }

    /** Reads a tensor of the given file shape as a [rows, cols] matrix in the precision the options ask for. */
    private Matrix matrix(String name, long rows, long cols, long[] shape) throws IOException {
        if (!ck.has(name)) {
            throw new CheckpointFormatException(ck.describe() + ": tensor " + name + " is missing (expected shape "
                    + java.util.Arrays.toString(shape) + ")");
        }
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(ck.describe() + ": tensor " + name + " "
                    + java.util.Arrays.toString(shape) + " is larger than a Java array can hold");
        }
        DType dt = ck.dtype(name);
        boolean sixteen = dt == DType.BF16 || dt == DType.F16;
        LoadOptions.WeightPrecision want = opts.weights();
        Matrix m;
        if (sixteen && want == LoadOptions.WeightPrecision.AS_STORED) {
            short[] bits = ck.readBits16(name, shape);
            requireFinite(name, bits, dt == DType.BF16 ? BF16_EXPONENT : F16_EXPONENT, cols, "");
            hashShorts(name, bits);
            m = dt == DType.BF16
                    ? Matrix.ofBf16((int) rows, (int) cols, bits)
                    : Matrix.ofF16((int) rows, (int) cols, bits);
        } else if (want == LoadOptions.WeightPrecision.BF16) {
            float[] f = ck.readFloats(name, shape);
            requireFinite(name, f, cols, "");
            short[] bits = new short[f.length];
            for (int i = 0; i < f.length; i++) bits[i] = Bits16.floatToBf16(f[i]);
            // a finite float32 above bfloat16's largest rounds to infinity
            requireFinite(name, bits, BF16_EXPONENT, cols, " once rounded to bfloat16");
            hashShorts(name, bits);
            m = Matrix.ofBf16((int) rows, (int) cols, bits);
        } else {
            float[] f = ck.readFloats(name, shape);
            requireFinite(name, f, cols, "");
            hashFloats(name, f);
            m = Matrix.ofFloats((int) rows, (int) cols, f);
        }
        return m;
    }

    /** Exponent bits of bfloat16 and float16: all ones is an infinity or a NaN. */
    private static final int BF16_EXPONENT = 0x7f80;

    private static final int F16_EXPONENT = 0x7c00;

    /**
     * Refuses a tensor holding a NaN or an infinity, naming it and the first such element: one would make every
     * score NaN from the first token on, silently. One pass, branch-free but for the rare failure.
     */
    private void requireFinite(String name, float[] a, long cols, String after) throws CheckpointFormatException {
        int bad = 0;
        for (float v : a) {
            // exponent all ones (NaN or infinity), without a branch per element
            bad |= (~Float.floatToRawIntBits(v) & 0x7f800000) == 0 ? 1 : 0;
        }
        if (bad != 0) {
            int first = 0;
            int count = 0;
            for (int i = a.length - 1; i >= 0; i--) {
                if (!Float.isFinite(a[i])) {
                    first = i;
                    count++;
                }
            }
            throw notFinite(name, a.length, count, first, cols, String.valueOf(a[first]), after);
        }
    }

    private void requireFinite(String name, short[] bits, int exponent, long cols, String after)
            throws CheckpointFormatException {
        int bad = 0;
        for (short b : bits) {
            bad |= (~b & exponent) == 0 ? 1 : 0;
        }
        if (bad != 0) {
            int first = 0;
            int count = 0;
            for (int i = bits.length - 1; i >= 0; i--) {
                if ((~bits[i] & exponent) == 0) {
                    first = i;
                    count++;
                }
            }
            int mantissa = bits[first] & (exponent == BF16_EXPONENT ? 0x7f : 0x3ff);
            String value = mantissa != 0 ? "NaN" : bits[first] < 0 ? "-Infinity" : "Infinity";
            throw notFinite(name, bits.length, count, first, cols, value, after);
        }
    }

    private CheckpointFormatException notFinite(
            String name, int length, int count, int first, long cols, String value, String after) {
        return new CheckpointFormatException(
                ck.describe(name) + ": tensor " + name + " holds " + count + " non-finite value"
                        + (count == 1 ? "" : "s") + after + " (of " + length + "), the first "
                        + value + " at [" + first / cols + ", " + first % cols + "]: a model's weights must be finite");
    }

    /** Rows of a on top of rows of b, same storage. */
    private static Matrix stack(Matrix a, Matrix b) {
        int rows = a.rows() + b.rows();
        int cols = a.cols();
        switch (a.storage()) {
            case F32 -> {
                float[] d = new float[rows * cols];
                System.arraycopy(a.f32(), 0, d, 0, a.f32().length);
                System.arraycopy(b.f32(), 0, d, a.f32().length, b.f32().length);
                return Matrix.ofFloats(rows, cols, d);
            }
            default -> {
                short[] d = new short[rows * cols];
                System.arraycopy(a.bits16(), 0, d, 0, a.bits16().length);
                System.arraycopy(b.bits16(), 0, d, a.bits16().length, b.bits16().length);
                return a.storage() == Matrix.Storage.BF16 ? Matrix.ofBf16(rows, cols, d) : Matrix.ofF16(rows, cols, d);
            }
        }
    }

    /** Rows [from, from + count) of m as a matrix of their own. */
    private static Matrix slice(Matrix m, int from, int count) {
        int cols = m.cols();
        switch (m.storage()) {
            case F32 -> {
                return Matrix.ofFloats(
                        count, cols, java.util.Arrays.copyOfRange(m.f32(), from * cols, (from + count) * cols));
            }
            default -> {
                short[] d = java.util.Arrays.copyOfRange(m.bits16(), from * cols, (from + count) * cols);
                return m.storage() == Matrix.Storage.BF16
                        ? Matrix.ofBf16(count, cols, d)
                        : Matrix.ofF16(count, cols, d);
            }
        }
    }

    private void hashFloats(String name, float[] a) {
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length; ) {
            b.clear();
            int m = Math.min(a.length - i, b.capacity() / 4);
            b.asFloatBuffer().put(a, i, m);
            digest.update(b.array(), 0, m * 4);
            i += m;
        }
    }

    private void hashShorts(String name, short[] a) {
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length; ) {
            b.clear();
            int m = Math.min(a.length - i, b.capacity() / 2);
            b.asShortBuffer().put(a, i, m);
            digest.update(b.array(), 0, m * 2);
            i += m;
        }
    }
}
