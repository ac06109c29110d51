package dev.linnet.engine.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The history predictor written plainly: the whole stream kept in a list, exact maps from contexts to counts and
 * from contexts to where they last occurred. It forgets nothing, so the fixed-size {@link HistoryMixture} must
 * equal it exactly on any stream whose contexts never share a table slot.
 */
final class HistoryNaive {
    private final HistoryConfig cfg;
    private final List<Integer> tokens = new ArrayList<>();
    private final List<Map<List<Integer>, Map<Integer, Integer>>> tables = new ArrayList<>();
    private final Map<List<Integer>, Long> lastSeen = new HashMap<>();
    private final int[] hits = new int[HistoryConfig.MATCH_BUCKETS];
    private final int[] tries = new int[HistoryConfig.MATCH_BUCKETS];
    private final double[] mixer;
    private long pointer = -1;
    private int length, misses;

    HistoryNaive(HistoryConfig cfg) {
        this.cfg = cfg;
        for (int j = 0; j < cfg.orders().size() + cfg.sparse().size(); j++) tables.add(new HashMap<>());
        mixer = new double[cfg.mixerClasses() * cfg.components()];
    }

    double observe(int token, double network) {
        int k = cfg.orders().size();
        int pos = tokens.size();
        boolean scored = !Double.isNaN(network);
        double[] parts = new double[cfg.components()];
        parts[0] = network;
        double p = network;
        int longest = 0;
        for (int j = 0; j < k; j++) {
            int order = cfg.orders().get(j).order();
            if (pos >= order && scored) {
                Map<Integer, Integer> counts = tables.get(j).get(List.copyOf(tokens.subList(pos - order, pos)));
                if (counts != null) {
                    int n = 0, c = counts.getOrDefault(token, 0);
                    for (int v : counts.values()) n += v;
                    p = (Math.max(c - cfg.discount(), 0) + (cfg.concentration() + cfg.discount() * counts.size()) * p)
                            / (n + cfg.concentration());
                    longest = j + 1;
                }
            }
            parts[j + 1] = p;
        }
        for (int j = 0; j < cfg.sparse().size(); j++) {
            parts[k + 2 + j] = network;
            List<Integer> ctx = sparseContext(j, pos);
            Map<Integer, Integer> counts =
                    ctx == null ? null : tables.get(k + j).get(ctx);
            if (counts != null && scored) {
                int n = 0, c = counts.getOrDefault(token, 0);
                for (int v : counts.values()) n += v;
                parts[k + 2 + j] = (Math.max(c - cfg.discount(), 0)
                                + (cfg.concentration() + cfg.discount() * counts.size()) * network)
                        / (n + cfg.concentration());
            }
        }
        int ring = 1 << cfg.ringBits();
        if (pointer >= 0 && pos - pointer >= ring) pointer = -1;
        int predicted = pointer < 0 ? -1 : tokens.get((int) pointer);
        double result = Double.NaN;
        if (scored) {
            if (predicted < 0) {
                parts[k + 1] = network;
            } else {
                int b = length == 0
                        ? 0
                        : Math.min(HistoryConfig.MATCH_BUCKETS - 1, 32 - Integer.numberOfLeadingZeros(length));
                double q = (hits[b] + 1.0) / (tries[b] + 2.0);
                tries[b]++;
                if (predicted == token) hits[b]++;
                parts[k + 1] = q * (predicted == token ? 1.0 : 0.0) + (1 - q) * network;
            }
            int state = predicted < 0 ? 0 : length == 0 ? 1 : length < 16 ? 2 : 3;
            result = mix(parts, longest * HistoryConfig.MATCH_STATES + state);
        }
        for (int j = 0; j < k; j++) {
            int order = cfg.orders().get(j).order();
            if (pos >= order) {
                tables.get(j)
                        .computeIfAbsent(List.copyOf(tokens.subList(pos - order, pos)), x -> new HashMap<>())
                        .merge(token, 1, Integer::sum);
            }
        }
        for (int j = 0; j < cfg.sparse().size(); j++) {
            List<Integer> ctx = sparseContext(j, pos);
            if (ctx != null)
                tables.get(k + j).computeIfAbsent(ctx, x -> new HashMap<>()).merge(token, 1, Integer::sum);
        }
        tokens.add(token);
        if (pointer >= 0 && predicted == token) {
            pointer++;
            length++;
        } else if (pointer >= 0 && cfg.stickyMisses() > 0) {
            pointer++;
            length = 0;
            if (++misses > cfg.stickyMisses()) pointer = -1;
        } else {
            length = 0;
            pointer = -1;
        }
        int mo = cfg.matchOrder();
        long here = pos + 1;
        if (here >= mo) {
            List<Integer> ctx = List.copyOf(tokens.subList((int) here - mo, (int) here));
            Long then = lastSeen.get(ctx);
            if ((pointer < 0 || length == 0) && then != null && here - then < ring) {
                pointer = then;
                length = 1;
                misses = 0;
            }
            lastSeen.put(ctx, here);
        }
        return result;
    }

    /** The tokens the sparse context reads before {@code pos} (farthest first), or null before it can. */
    private List<Integer> sparseContext(int j, int pos) {
        List<Integer> offsets = cfg.sparse().get(j).offsets();
        if (pos < offsets.get(offsets.size() - 1)) return null;
        List<Integer> ctx = new ArrayList<>();
        for (int i = offsets.size() - 1; i >= 0; i--) ctx.add(tokens.get(pos - offsets.get(i)));
        return ctx;
    }

    private double mix(double[] parts, int cls) {
        int n = parts.length, base = cls * n;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = Math.max(max, mixer[base + j]);
        double[] w = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) sum += (w[j] = StrictMath.exp(mixer[base + j] - max));
        double mixed = 0;
        for (int j = 0; j < n; j++) mixed += (w[j] /= sum) * parts[j];
        for (int j = 0; j < n; j++) mixer[base + j] -= cfg.mixerRate() * w[j] * (1 - parts[j] / mixed);
        return mixed;
    }
}
