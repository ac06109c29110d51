package dev.linnet.evaluation;

import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores log lines by the model's surprisal, in a stream: a line's score is the mean surprisal (nats per
 * token) of its scored part given everything before it in its stream, so it is computed before the model
 * has read the line, and the line is then part of the state like any other.
 */
public final class LinnetLogScorer {
    private static final int SESSIONS_AT_ONCE = 32;
    private final Model model;
    private final StreamFeeder feeder;

    public LinnetLogScorer(Model model, int chunk, int batchTokens) {
        this.model = model;
        this.feeder = new StreamFeeder(model, chunk, batchTokens);
    }

    public long tokensFed() {
        return feeder.tokensFed();
    }

    /** A fresh state that has read the warm lines. */
    public StreamState warmed(List<ScoredLine> warm) {
        StreamState s = model.newState();
        if (!warm.isEmpty()) feeder.feed(s, concat(warm));
        return s;
    }

    /** One stream: reads the warm lines, then scores each line in order. */
    public double[] scoreStream(List<ScoredLine> warm, List<ScoredLine> lines) {
        StreamState s = warmed(warm);
        return lineScores(feeder.feed(s, concat(lines)), lines);
    }

    /**
     * Many independent streams (sessions), each starting from a copy of the state after the warm lines;
     * returns for each session the score of each of its lines.
     */
    public double[][] scoreSessions(List<ScoredLine> warm, List<List<ScoredLine>> sessions) {
        StreamState prior = warmed(warm);
        double[][] out = new double[sessions.size()][];
        // a few dozen state copies at a time: a copy holds the whole softmax window
        for (int from = 0; from < sessions.size(); from += SESSIONS_AT_ONCE) {
            int to = Math.min(sessions.size(), from + SESSIONS_AT_ONCE);
            List<StreamState> states = new ArrayList<>();
            List<int[]> tokens = new ArrayList<>();
            for (int i = from; i < to; i++) {
                if (sessions.get(i).isEmpty())
                    throw new IllegalArgumentException("session " + i + " has no line to score");
                states.add(prior.copy());
                tokens.add(concat(sessions.get(i)));
            }
            float[][] surprisal = feeder.feed(states, tokens);
            for (int i = from; i < to; i++) out[i] = lineScores(surprisal[i - from], sessions.get(i));
        }
        return out;
    }

    /**
     * What reading each session gives.
     *
     * @param lineScores per session, the score of each of its lines
     * @param embedding  per session, the model's embedding after its last line (the session's stream embedding)
     */
    public record SessionReadings(double[][] lineScores, float[][] embedding) {}

    /**
     * As {@link #scoreSessions}, for sessions given as sequences of keys (e.g. template ids) that render to
     * lines: sessions that begin alike share the work of their common beginning (a prefix tree walked level by
     * level, a state copied only where sessions part). Returns for each session the score of each of its lines
     * and its embedding after the last one.
     */
    public <K> SessionReadings scoreSessionsSharingPrefixes(
            List<ScoredLine> warm,
            List<? extends List<K>> sessions,
            java.util.function.Function<K, ScoredLine> render) {
        PrefixNode<K> root = new PrefixNode<>(null, null);
        for (List<K> s : sessions) {
            if (s.isEmpty()) throw new IllegalArgumentException("a session has no line to score");
            PrefixNode<K> n = root;
            for (K k : s) n = n.children.computeIfAbsent(k, key -> new PrefixNode<>(key, render.apply(key)));
        }
        StreamState prior = warmed(warm);
        List<PrefixNode<K>> level = new ArrayList<>();
        List<StreamState> states = new ArrayList<>();
        spawn(root, prior, level, states);
        while (!level.isEmpty()) {
            List<int[]> tokens = new ArrayList<>();
            for (PrefixNode<K> n : level) tokens.add(n.line.tokens());
            StreamFeeder.Fed fed = feeder.feedAll(states, tokens);
            List<PrefixNode<K>> next = new ArrayList<>();
            List<StreamState> nextStates = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                level.get(i).score = lineScores(fed.surprisal()[i], List.of(level.get(i).line))[0];
                level.get(i).embedding = fed.embedding()[i];
                spawn(level.get(i), states.get(i), next, nextStates);
            }
            level = next;
            states = nextStates;
        }
        double[][] out = new double[sessions.size()][];
        float[][] embedding = new float[sessions.size()][];
        for (int i = 0; i < out.length; i++) {
            List<K> s = sessions.get(i);
            out[i] = new double[s.size()];
            PrefixNode<K> n = root;
            for (int j = 0; j < s.size(); j++) {
                n = n.children.get(s.get(j));
                out[i][j] = n.score;
            }
            embedding[i] = n.embedding;
        }
        return new SessionReadings(out, embedding);
    }

    /** Queues a node's children, the first one continuing the node's own state, the others copies of it. */
    private static <K> void spawn(
            PrefixNode<K> node, StreamState state, List<PrefixNode<K>> level, List<StreamState> states) {
        List<PrefixNode<K>> kids = new ArrayList<>(node.children.values());
        for (int k = kids.size() - 1; k >= 0; k--) { // copies first, while the state is still the node's
            level.add(kids.get(k));
            states.add(k == 0 ? state : state.copy());
        }
    }

    /** A line of the prefix tree of sessions, and its score once computed. */
    private static final class PrefixNode<K> {
        final K key;
        final ScoredLine line;
        final java.util.Map<K, PrefixNode<K>> children = new java.util.LinkedHashMap<>();
        double score = Double.NaN;
        float[] embedding;

        PrefixNode(K key, ScoredLine line) {
            this.key = key;
            this.line = line;
        }
    }

    static double[] lineScores(float[] surprisal, List<ScoredLine> lines) {
        double[] out = new double[lines.size()];
        int offset = 0;
        for (int i = 0; i < out.length; i++) {
            ScoredLine l = lines.get(i);
            double sum = 0;
            int n = 0;
            for (int j = l.scoreFrom(); j < l.scoreTo(); j++) {
                float v = surprisal[offset + j];
                if (!Float.isNaN(v)) { // only the very first token of a stream has none
                    sum += v;
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
            offset += l.tokens().length;
        }
        return out;
    }

    static int[] concat(List<ScoredLine> lines) {
        int n = 0;
        for (ScoredLine l : lines) n += l.tokens().length;
        int[] out = new int[n];
        int p = 0;
        for (ScoredLine l : lines) {
            System.arraycopy(l.tokens(), 0, out, p, l.tokens().length);
            p += l.tokens().length;
        }
        return out;
    }
}
