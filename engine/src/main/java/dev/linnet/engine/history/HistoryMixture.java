package dev.linnet.engine.history;

import java.util.List;

/**
 * The stream's probability of each token: the network's, the context orders' (each interpolated down to the
 * network's), the match model's and the sparse contexts' (each interpolated with the network's), mixed with weights the stream learns as it goes (one set per longest
 * context seen and per state of the match model, moved along the gradient of the token's code
 * length). Observing a token scores it and then adds it to the history.
 */
public final class HistoryMixture {
    private static final int ORDER_SEED = 0x45D9F3B;
    static final int SPARSE_SEED = 0x2545F491;
    /** Table entries pack (token + 1) above an 8-bit count in an int. */
    static final int MAX_TOKEN = (1 << 23) - 2;

    private final HistoryConfig config;
    private final int[] orders;
    /** Per sparse context: the offsets back it reads, and the farthest. */
    private final int[][] sparse;

    private final int[] reach;
    /** Per table, the orders' then the sparse contexts'. */
    private final int[] slotBits, widths;

    public HistoryMixture(HistoryConfig config) {
        this.config = config;
        List<HistoryConfig.ContextOrder> o = config.orders();
        List<HistoryConfig.SparseContext> sp = config.sparse();
        orders = new int[o.size()];
        sparse = new int[sp.size()][];
        reach = new int[sp.size()];
        slotBits = new int[config.tables()];
        widths = new int[config.tables()];
        for (int j = 0; j < o.size(); j++) {
            orders[j] = o.get(j).order();
            slotBits[j] = o.get(j).slotBits();
            widths[j] = o.get(j).width();
        }
        for (int j = 0; j < sp.size(); j++) {
            sparse[j] = sp.get(j).offsets().stream().mapToInt(Integer::intValue).toArray();
            reach[j] = sp.get(j).reach();
            slotBits[o.size() + j] = sp.get(j).slotBits();
            widths[o.size() + j] = sp.get(j).width();
        }
    }

    public HistoryConfig config() {
        return config;
    }

    public HistoryState newState() {
        return new HistoryState(config);
    }

    /**
     * The mixed probability of {@code token}, given the network's probability of it, then adds the token to the
     * history. With a NaN network probability (the stream's first token, which nothing predicts) the token is
     * only added, and NaN returned.
     */
    public double observe(HistoryState h, int token, double network) {
        requireOwn(h);
        if (token < 0 || token > MAX_TOKEN) {
            throw new IllegalArgumentException("token id " + token + " is outside [0, " + MAX_TOKEN + "]");
        }
        int k = orders.length;
        int[] slot = new int[slotBits.length];
        int[] check = new int[slotBits.length];
        double[] parts = new double[config.components()];
        boolean scored = !Double.isNaN(network);
        double result = Double.NaN;
        double p = network;
        int longest = 0;
        parts[0] = network;
        for (int j = 0; j < k; j++) {
            if (h.position < orders[j]) {
                slot[j] = -1;
                parts[j + 1] = p;
                continue;
            }
            int hash = ContextCounts.hash(h.ring, h.position, orders[j], orders[j] * ORDER_SEED);
            slot[j] = ContextCounts.slot(hash, slotBits[j]);
            check[j] = ContextCounts.check(hash);
            if (scored) {
                double q = predict(h, j, slot[j], check[j], token, p);
                if (q >= 0) {
                    p = q;
                    longest = j + 1;
                }
            }
            parts[j + 1] = p;
        }
        for (int j = 0; j < sparse.length; j++) {
            int t = k + j;
            parts[k + 2 + j] = network;
            if (h.position < reach[j]) {
                slot[t] = -1;
                continue;
            }
            int hash = ContextCounts.hashAt(h.ring, h.position, sparse[j], SPARSE_SEED);
            slot[t] = ContextCounts.slot(hash, slotBits[t]);
            check[t] = ContextCounts.check(hash);
            if (scored) {
                double q = predict(h, t, slot[t], check[t], token, network);
                if (q >= 0) parts[k + 2 + j] = q;
            }
        }
        int predicted = MatchModel.predicted(h);
        if (scored) {
            parts[k + 1] = MatchModel.predict(h, predicted, token, network);
            result = mix(h, parts, longest * HistoryConfig.MATCH_STATES + matchState(h, predicted));
        }
        for (int j = 0; j < slot.length; j++) {
            if (slot[j] >= 0) {
                ContextCounts.update(h.checks[j], h.entries[j], slot[j], check[j], widths[j], token);
                h.touchSlot(j, slot[j]);
            }
        }
        int at = (int) (h.position & (h.ring.length - 1));
        h.ring[at] = token;
        h.touchRing(at);
        h.position++;
        MatchModel.advance(h, config, predicted, token);
        return result;
    }

    /**
     * The mixture's probability of every token at the history's current position, given the network's
     * distribution there: what {@link #observe} would give each token, bit for bit, without changing the
     * history. It sums to one (up to rounding) because every part does and the weights do not depend on the token.
     *
     * @param network the network's probabilities [vocab]
     * @param out     receives the mixture's [vocab]
     */
    public void distribution(HistoryState h, double[] network, double[] out) {
        requireOwn(h);
        int k = orders.length;
        int vocab = network.length;
        if (out.length != vocab) throw new IllegalArgumentException(out.length + " outputs for " + vocab + " tokens");
        // which context tables have counts here (this decides the weight set, as in observe)
        int[] slot = new int[k];
        int longest = 0;
        for (int j = 0; j < k; j++) {
            slot[j] = -1;
            if (h.position < orders[j]) continue;
            int hash = ContextCounts.hash(h.ring, h.position, orders[j], orders[j] * ORDER_SEED);
            int s = ContextCounts.slot(hash, slotBits[j]);
            if (ContextCounts.counted(h.checks[j], h.entries[j], s, ContextCounts.check(hash), widths[j])) {
                slot[j] = s;
                longest = j + 1;
            }
        }
        int predicted = MatchModel.peek(h);
        double[] w = weights(h, longest * HistoryConfig.MATCH_STATES + matchState(h, predicted));
        double q = predicted < 0 ? 0 : MatchModel.confidence(h);
        double[] level = network.clone();
        double[] c = new double[vocab];
        for (int t = 0; t < vocab; t++) out[t] = w[0] * network[t];
        double alpha = config.concentration(), d = config.discount();
        for (int j = 0; j < k; j++) {
            if (slot[j] >= 0) {
                int n = ContextCounts.fill(h.entries[j], slot[j], widths[j], c);
                int u = ContextCounts.distinct(h.entries[j], slot[j], widths[j]);
                for (int t = 0; t < vocab; t++)
                    level[t] = (Math.max(c[t] - d, 0) + (alpha + d * u) * level[t]) / (n + alpha);
                ContextCounts.clear(h.entries[j], slot[j], widths[j], c);
            }
            for (int t = 0; t < vocab; t++) out[t] += w[j + 1] * level[t];
        }
        for (int t = 0; t < vocab; t++) {
            double m = predicted < 0 ? network[t] : q * (predicted == t ? 1.0 : 0.0) + (1 - q) * network[t];
            out[t] += w[k + 1] * m;
        }
        for (int j = 0; j < sparse.length; j++) {
            int tb = k + j;
            double wj = w[k + 2 + j];
            int s = -1;
            if (h.position >= reach[j]) {
                int hash = ContextCounts.hashAt(h.ring, h.position, sparse[j], SPARSE_SEED);
                int at = ContextCounts.slot(hash, slotBits[tb]);
                if (ContextCounts.counted(h.checks[tb], h.entries[tb], at, ContextCounts.check(hash), widths[tb]))
                    s = at;
            }
            if (s < 0) {
                for (int t = 0; t < vocab; t++) out[t] += wj * network[t];
                continue;
            }
            int n = ContextCounts.fill(h.entries[tb], s, widths[tb], c);
            int u = ContextCounts.distinct(h.entries[tb], s, widths[tb]);
            for (int t = 0; t < vocab; t++)
                out[t] += wj * ((Math.max(c[t] - d, 0) + (alpha + d * u) * network[t]) / (n + alpha));
            ContextCounts.clear(h.entries[tb], s, widths[tb], c);
        }
    }

    /** Table {@code t}'s interpolated probability of the token given the level below, or -1 if it has no counts. */
    private double predict(HistoryState h, int t, int slot, int check, int token, double below) {
        return ContextCounts.predict(
                h.checks[t],
                h.entries[t],
                slot,
                check,
                widths[t],
                token,
                below,
                config.concentration(),
                config.discount());
    }

    /** The normalised mixing weights of a class (softmax of its logits), as {@link #mix} computes them. */
    private double[] weights(HistoryState h, int cls) {
        int n = config.components();
        int base = cls * n;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, h.mixer[base + j]);
        double[] w = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            w[j] = StrictMath.exp(h.mixer[base + j] - max);
            sum += w[j];
        }
        for (int j = 0; j < n; j++) w[j] /= sum;
        return w;
    }

    private void requireOwn(HistoryState h) {
        if (h.config() != config && !h.config().equals(config)) {
            throw new IllegalArgumentException("this history was made for another history configuration");
        }
    }

    /**
     * None, following past a miss, a short match, a long one. The weights' class must not depend on the token
     * being scored (as the network's probability of it would), or the mixture would not sum to one.
     */
    static int matchState(HistoryState h, int predicted) {
        return predicted < 0 ? 0 : h.matchLength == 0 ? 1 : h.matchLength < 16 ? 2 : 3;
    }

    /** Mixes the parts with the class's weights and moves the weights along the gradient of -ln(mixture). */
    private double mix(HistoryState h, double[] parts, int cls) {
        int n = parts.length;
        int base = cls * n;
        double[] z = h.mixer;
        double[] w = weights(h, cls);
        double mixed = 0;
        for (int j = 0; j < n; j++) mixed += w[j] * parts[j];
        if (!(mixed > 0)) return mixed; // the network gave the token no probability at all: leave the weights
        double rate = config.mixerRate();
        for (int j = 0; j < n; j++) z[base + j] -= rate * w[j] * (1 - parts[j] / mixed);
        return mixed;
    }
}
