package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Baseline for sessions: each session becomes its vector of template counts; its score is the L1 distance
 * to the nearest count vector among the normal reference sessions (0 when the same mix of events was seen
 * normal). A threshold on the score is chosen on validation like any other score.
 */
public final class CountVectorDistance {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<int[]> reference = new ArrayList<>();

    public CountVectorDistance(List<? extends List<String>> normalSessions) {
        Set<String> vocabulary = new LinkedHashSet<>();
        for (List<String> s : normalSessions) vocabulary.addAll(s);
        for (String t : vocabulary) index.put(t, index.size());
        Set<String> distinct = new HashSet<>();
        for (List<String> s : normalSessions) {
            int[] v = counts(s);
            if (distinct.add(java.util.Arrays.toString(v))) reference.add(v);
        }
        if (reference.isEmpty()) throw new IllegalArgumentException("no normal session to compare with");
    }

    /** Counts of the known templates, plus one more slot counting every event of a template the reference never had. */
    private int[] counts(List<String> session) {
        int[] v = new int[index.size() + 1];
        for (String t : session) v[index.getOrDefault(t, index.size())]++;
        return v;
    }

    public double score(List<String> session) {
        int[] v = counts(session);
        long best = Long.MAX_VALUE;
        for (int[] r : reference) {
            long d = 0;
            for (int i = 0; i < v.length && d < best; i++) d += Math.abs(v[i] - r[i]);
            best = Math.min(best, d);
        }
        return best;
    }

    public double[] scores(List<? extends List<String>> sessions) {
        double[] out = new double[sessions.size()];
        for (int i = 0; i < out.length; i++) out[i] = score(sessions.get(i));
        return out;
    }
}
