package dev.linnet.engine.model;

import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.history.HistoryMixture;
import dev.linnet.engine.kernels.Kernels;
import dev.linnet.engine.kernels.Matrix;
import dev.linnet.engine.kernels.Workspace;
import dev.linnet.engine.layers.RmsNorm;
import dev.linnet.engine.layers.Segment;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePages;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A loaded MiniMax-01 style hybrid model: immutable weights, shareable by any number of threads and streams.
 * All per-stream memory lives in {@link StreamState}.
 *
 * <p>Chunks of many streams run as one batch: every matrix product covers all their rows at once, and the
 * kernels compute each row exactly as they would alone, so results never depend on what shares a batch.
 */
public final class Model {
    private static final Workspace.Slot RESIDUAL = Workspace.slot("model: residual stream");
    private static final Workspace.Slot HEAD_IN = Workspace.slot("model: rows to score");
    private static final Workspace.Slot LOGITS = Workspace.slot("model: logits");
    /** A row's exponentials while its log-sum-exp is taken (on whichever thread scores the row). */
    private static final Workspace.Slot SCORE_WORK = Workspace.slot("model: log-sum-exp work");
    /** The same for the history mixture's rows, where logits are returned. */
    private static final Workspace.Slot MIXED_WORK = Workspace.slot("model: history mixture work");

    private final ModelConfig config;
    private final Kernels kernels;
    private final Matrix embed;
    private final List<DecoderLayer> layers;
    private final RmsNorm finalNorm;
    private final Matrix lmHead;
    private final int window;
    private final String fingerprint;
    private final HistoryMixture history;

    Model(
            ModelConfig config,
            Kernels kernels,
            Matrix embed,
            List<DecoderLayer> layers,
            RmsNorm finalNorm,
            Matrix lmHead,
            int window,
            String fingerprint) {
        this.config = config;
        this.kernels = kernels;
        this.embed = embed;
        this.layers = List.copyOf(layers);
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.window = window;
        this.fingerprint = fingerprint;
        this.history = config.history() == null ? null : new HistoryMixture(config.history());
    }

    public static Model load(Path checkpointDir) throws IOException {
        return load(checkpointDir, LoadOptions.DEFAULT);
    }

    public static Model load(Path checkpointDir, LoadOptions options) throws IOException {
        return ModelLoader.load(checkpointDir, options);
    }

    /**
     * Loads a checkpoint shipped as classpath resources (e.g. the default model inside a jar,
     * {@link DefaultModel#RESOURCE}).
     */
    public static Model loadResource(ClassLoader loader, String prefix, LoadOptions options) throws IOException {
        return load(dev.linnet.engine.io.ClasspathCheckpoint.extract(loader, prefix), options);
    }

    /** A model of the given shape with seeded random weights: for benchmarks at realistic sizes. */
    public static Model random(ModelConfig config, long seed, LoadOptions options) {
        return ModelLoader.random(config, seed, options);
    }

    public ModelConfig config() {
        return config;
    }

    /** Hex SHA-256 over the config and every weight as held in memory: a state is only ever resumed under it. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The softmax layers' window (the config's, or the load-time bound when the config has none). */
    public int window() {
        return window;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** The codec for this model's states (fingerprint and shapes checked on decode). */
    public StateCodec stateCodec(StatePrecision precision) {
        return new StateCodec(fingerprint, newState(), precision);
    }

    /** The paged stored form of this model's states (a store that writes only what a record changed). */
    public StatePages statePages(StatePrecision precision) {
        return new StatePages(fingerprint, newState(), precision);
    }

    public StreamState newState() {
        return new StreamState(
                config.countLayers(LayerType.LINEAR),
                config.numAttentionHeads() * config.headDim() * config.headDim(),
                config.countLayers(LayerType.SOFTMAX),
                window,
                config.kvWidth(),
                config.hiddenSize(),
                history == null ? null : history.newState());
    }

    /** Advances the state over one chunk of tokens. */
    public ChunkResult forward(StreamState state, int[] tokens, ForwardOptions options) {
        return forwardBatch(List.of(state), List.of(tokens), options, null).get(0);
    }

    /** As {@link #forward}, reporting every layer's hidden states to the observer. */
    public ChunkResult forward(StreamState state, int[] tokens, ForwardOptions options, LayerObserver observer) {
        return forwardBatch(List.of(state), List.of(tokens), options, observer).get(0);
    }

    /**
     * Advances many streams at once, each by its own chunk. Each stream's result and new state are bit-identical
     * to what {@link #forward} gives it alone. A state must not appear twice in one batch.
     */
    public List<ChunkResult> forwardBatch(List<StreamState> states, List<int[]> chunks, ForwardOptions options) {
        return forwardBatch(states, chunks, options, null);
    }

    private List<ChunkResult> forwardBatch(
            List<StreamState> states, List<int[]> chunks, ForwardOptions options, LayerObserver observer) {
        if (states.size() != chunks.size()) {
            throw new IllegalArgumentException(states.size() + " states but " + chunks.size() + " chunks");
        }
        int hidden = config.hiddenSize();
        int vocab = config.vocabSize();
        List<Segment> segments = new ArrayList<>(states.size());
        long total = 0;
        for (int s = 0; s < states.size(); s++) {
            StreamState st = states.get(s);
            checkState(st);
            for (int j = 0; j < s; j++) {
                if (states.get(j) == st)
                    throw new IllegalArgumentException("the same state appears twice in one batch");
            }
            int[] toks = chunks.get(s);
            for (int i = 0; i < toks.length; i++) {
                if (toks[i] < 0 || toks[i] >= vocab) {
                    throw new IllegalArgumentException("token id " + toks[i] + " at position " + i + " of chunk " + s
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
            }
            segments.add(new Segment((int) total, toks.length, st.tokensSeen()));
            total += toks.length;
        }
        if ((long) total * Math.max(hidden, 3 * config.attentionWidth()) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + total + " tokens is too large; split it");
        }
        int rows = (int) total;
        float[] x = Workspace.ofThread().floats(RESIDUAL, rows * hidden);
        for (int s = 0; s < segments.size(); s++) {
            int[] toks = chunks.get(s);
            for (int i = 0; i < toks.length; i++)
                embed.copyRow(toks[i], x, (segments.get(s).rowStart() + i) * hidden);
        }
        if (observer != null) observer.hidden(0, Arrays.copyOf(x, rows * hidden));
        if (rows > 0) {
            for (int l = 0; l < layers.size(); l++) {
                layers.get(l).forward(kernels, x, rows, hidden, segments, states);
                if (observer != null && l < layers.size() - 1) observer.hidden(l + 1, Arrays.copyOf(x, rows * hidden));
            }
            finalNorm.apply(kernels, x, x, rows);
        }
        if (observer != null) observer.hidden(layers.size(), Arrays.copyOf(x, rows * hidden));

        List<ChunkResult> results = new ArrayList<>(states.size());
        for (int s = 0; s < segments.size(); s++) {
            results.add(finish(states.get(s), chunks.get(s), segments.get(s), x, options));
        }
        return results;
    }

    /** Scores the chunk's tokens, optionally all logits, and moves the state's counters and last hidden on. */
    private ChunkResult finish(StreamState st, int[] toks, Segment seg, float[] x, ForwardOptions options) {
        int hidden = config.hiddenSize();
        int vocab = config.vocabSize();
        int n = toks.length;
        boolean hasPrev = st.tokensSeen() > 0;
        // rows whose logits we need: the previous last hidden (predicts toks[0]), then each of this chunk's rows
        int scored = n == 0 ? 0 : (options.wantLogits() ? n : n - 1);
        int extra = hasPrev && n > 0 ? 1 : 0;
        int m = extra + scored;
        Workspace ws = Workspace.ofThread();
        float[] in = ws.floats(HEAD_IN, Math.max(m, 1) * hidden);
        if (extra == 1) System.arraycopy(st.lastHidden(), 0, in, 0, hidden);
        System.arraycopy(x, seg.rowStart() * hidden, in, extra * hidden, scored * hidden);
        float[] logits = ws.floats(LOGITS, Math.max(m, 1) * vocab);
        if (m > 0) kernels.matmul(in, m, lmHead, logits);

        float[] surprisal = new float[n];
        kernels.forEachRowRange(n, vocab, (from, to) -> {
            float[] work = Workspace.ofThread().floats(SCORE_WORK, vocab);
            for (int i = from; i < to; i++) {
                int row = i - 1 + extra; // row of the logits that predict toks[i]
                if (i == 0 && extra == 0) {
                    surprisal[i] = Float.NaN;
                    continue;
                }
                surprisal[i] = kernels.logSumExp(logits, row * vocab, vocab, work) - logits[row * vocab + toks[i]];
            }
        });
        float[] allLogits = null;
        if (options.wantLogits()) {
            allLogits = new float[n * vocab];
            System.arraycopy(logits, extra * vocab, allLogits, 0, n * vocab);
        }
        if (history != null) {
            // the history observes every token in order (so chunking cannot matter) and, unless the caller asks
            // for the network's own figures, the token's surprisal and the logits after it become the mixture's
            boolean mixed = !options.networkSurprisal();
            float[] scratch = mixed && allLogits != null ? ws.floats(MIXED_WORK, vocab) : null;
            for (int i = 0; i < n; i++) {
                double network = Float.isNaN(surprisal[i]) ? Double.NaN : StrictMath.exp(-(double) surprisal[i]);
                double p = history.observe(st.history(), toks[i], network);
                if (mixed && !Double.isNaN(p)) surprisal[i] = (float) -StrictMath.log(p);
                if (mixed && allLogits != null) mixedLogProbs(st, allLogits, i * vocab, scratch);
            }
        }
        if (n > 0) {
            System.arraycopy(x, (seg.rowStart() + n - 1) * hidden, st.lastHidden(), 0, hidden);
            st.setTokensSeen(st.tokensSeen() + n);
        }
        return new ChunkResult(n, surprisal, st.lastHidden().clone(), allLogits);
    }

    /**
     * Next-token logits from the state's last hidden state [vocab]; for a model with a history, the log of the
     * mixture's probabilities (what the next token's surprisal would be priced at).
     */
    public float[] nextLogits(StreamState state) {
        checkState(state);
        if (state.tokensSeen() == 0) {
            throw new IllegalStateException("an empty stream has no next-token distribution; feed at least one token");
        }
        float[] out = new float[config.vocabSize()];
        kernels.matmul(state.lastHidden(), 1, lmHead, out);
        if (history != null) mixedLogProbs(state, out, 0, new float[config.vocabSize()]);
        return out;
    }

    /** Replaces the network's logits at {@code off} by the log of the history mixture's probabilities. */
    private void mixedLogProbs(StreamState st, float[] logits, int off, float[] scratch) {
        int vocab = config.vocabSize();
        double lse = kernels.logSumExp(logits, off, vocab, scratch);
        double[] network = new double[vocab];
        for (int t = 0; t < vocab; t++) network[t] = StrictMath.exp(logits[off + t] - lse);
        double[] mixed = new double[vocab];
        history.distribution(st.history(), network, mixed);
        for (int t = 0; t < vocab; t++) logits[off + t] = (float) StrictMath.log(mixed[t]);
    }

    /**
     * Samples n tokens after the prompt from a COPY of the state; the stream's own state is untouched.
     * temperature 0 is greedy (ties to the lower id); otherwise softmax(logits / temperature) with a seeded
     * generator, so the same call gives the same tokens.
     */
    public int[] generate(StreamState state, int[] prompt, int n, float temperature, long seed) {
        if (n < 0) throw new IllegalArgumentException("cannot generate " + n + " tokens");
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        StreamState s = state.copy();
        if (prompt != null && prompt.length > 0) forward(s, prompt, ForwardOptions.DEFAULT);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            float[] logits = nextLogits(s);
            int tok = temperature == 0 ? argmax(logits) : sample(logits, temperature, rnd);
            out[i] = tok;
            forward(s, new int[] {tok}, ForwardOptions.DEFAULT);
        }
        return out;
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    private static int sample(float[] logits, float temperature, SplittableRandom rnd) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l / (double) temperature);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] / (double) temperature - max);
            sum += p[i];
        }
        double u = rnd.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) return i;
        }
        return p.length - 1;
    }

    private void checkState(StreamState st) {
        if (st.linearLayers() != config.countLayers(LayerType.LINEAR)
                || st.windowLayers() != config.countLayers(LayerType.SOFTMAX)
                || st.window() != window
                || st.lastHidden().length != config.hiddenSize()
                || (st.linearLayers() > 0
                        && st.linear(0).length != config.numAttentionHeads() * config.headDim() * config.headDim())
                || (st.windowLayers() > 0 && st.keys(0).length != window * config.kvWidth())
                || (st.history() == null) != (history == null)
                || (history != null && !st.history().config().equals(history.config()))) {
            throw new IllegalArgumentException("this state was made for a model of another shape");
        }
    }
}
