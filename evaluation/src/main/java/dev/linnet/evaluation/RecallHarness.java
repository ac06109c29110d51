package dev.linnet.evaluation;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a model over a {@link RecallStream}: the stream is fed once, in chunks through the model's fixed-size
 * state, and at each probe's branch point a copy of the state takes the probe's tail (many tails in one
 * batch), teacher-forced, with logits. A probe's answer is scored by the probability of the value's tokens
 * and by greedy decoding: the value counts as recalled when every one of its tokens is the model's argmax
 * given the ones before it, which is exactly when greedy generation after the question writes the value.
 */
public final class RecallHarness {
    /**
     * @param logProb        natural log of the probability of the whole value (sum over its tokens)
     * @param correctTokens  value tokens that are the argmax of their position
     * @param exact          all of them are (greedy decoding gives the value)
     */
    public record Outcome(RecallStream.Probe probe, double logProb, int correctTokens, boolean exact) {}

    private final int chunk;
    private final int tailBatchTokens;
    private final PrintStream progress;
    private long tokensFed;

    /**
     * @param chunk            most tokens fed to the main stream per call
     * @param tailBatchTokens  most tail tokens per batch (each needs vocab logits and a state copy)
     * @param progress         where to report progress, or null
     */
    public RecallHarness(int chunk, int tailBatchTokens, PrintStream progress) {
        if (chunk <= 0 || tailBatchTokens <= 0)
            throw new IllegalArgumentException("chunk and tail batch must be positive");
        this.chunk = chunk;
        this.tailBatchTokens = tailBatchTokens;
        this.progress = progress;
    }

    public long tokensFed() {
        return tokensFed;
    }

    public List<Outcome> run(Model model, RecallStream stream) {
        int vocab = model.config().vocabSize();
        int[] tokens = stream.tokens();
        for (int t : tokens) {
            if (t < 0 || t >= vocab)
                throw new IllegalArgumentException(
                        "token id " + t + " from the tokenizer is outside the model's vocabulary of " + vocab);
        }
        Map<Integer, List<RecallStream.Probe>> byBranch = new TreeMap<>();
        for (RecallStream.Probe p : stream.probes())
            byBranch.computeIfAbsent(p.branchAt(), k -> new ArrayList<>()).add(p);

        List<Outcome> outcomes = new ArrayList<>();
        List<StreamState> pendingStates = new ArrayList<>();
        List<RecallStream.Probe> pending = new ArrayList<>();
        int pendingTokens = 0;
        StreamState state = model.newState();
        int pos = 0;
        int total = stream.tokensNeeded();
        long nextReport = total / 10;
        long t0 = System.nanoTime();
        for (Map.Entry<Integer, List<RecallStream.Probe>> e : byBranch.entrySet()) {
            int branch = e.getKey();
            while (pos < branch) {
                int n = Math.min(chunk, branch - pos);
                int[] piece = new int[n];
                System.arraycopy(tokens, pos, piece, 0, n);
                model.forward(state, piece, ForwardOptions.DEFAULT);
                pos += n;
                tokensFed += n;
                if (progress != null && pos >= nextReport) {
                    progress.printf(
                            Locale.ROOT,
                            "  stream %d / %d tokens (%.0f tokens/s)%n",
                            pos,
                            total,
                            pos / ((System.nanoTime() - t0) / 1e9));
                    nextReport += total / 10;
                }
            }
            for (RecallStream.Probe p : e.getValue()) {
                if (pendingTokens > 0 && pendingTokens + p.tail().length > tailBatchTokens) {
                    outcomes.addAll(answer(model, pendingStates, pending));
                    pendingStates.clear();
                    pending.clear();
                    pendingTokens = 0;
                }
                pendingStates.add(state.copy());
                pending.add(p);
                pendingTokens += p.tail().length;
            }
        }
        if (!pending.isEmpty()) outcomes.addAll(answer(model, pendingStates, pending));
        return outcomes;
    }

    private List<Outcome> answer(Model model, List<StreamState> states, List<RecallStream.Probe> probes) {
        List<int[]> tails = new ArrayList<>();
        for (RecallStream.Probe p : probes) {
            tails.add(p.tail());
            tokensFed += p.tail().length;
        }
        List<ChunkResult> results = model.forwardBatch(states, tails, ForwardOptions.WITH_LOGITS);
        int vocab = model.config().vocabSize();
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            out.add(score(probes.get(i), results.get(i), vocab));
        }
        return out;
    }

    /** Teacher-forced score of the probe's value from its tail's result (which must carry logits). */
    static Outcome score(RecallStream.Probe p, ChunkResult r, int vocab) {
        int[] tail = p.tail();
        float[] logits = r.logits();
        double logProb = 0;
        int correct = 0;
        for (int j = p.valueStart(); j < tail.length; j++) {
            logProb -= r.surprisal()[j];
            int row = (j - 1) * vocab; // logits after token j-1 predict token j
            int best = 0;
            for (int v = 1; v < vocab; v++) if (logits[row + v] > logits[row + best]) best = v;
            if (best == tail[j]) correct++;
        }
        return new Outcome(p, logProb, correct, correct == p.valueLength());
    }
}
