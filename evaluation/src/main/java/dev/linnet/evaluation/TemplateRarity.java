package dev.linnet.evaluation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline for single lines: the score is how rare the line's template has been so far,
 * -ln((times seen + 1) / (lines seen + 1)). The warm part's counts start it; every scored line is counted
 * after it is scored. A threshold is chosen on validation.
 */
public final class TemplateRarity {
    private final Map<String, Integer> counts = new HashMap<>();
    private long lines;

    public TemplateRarity(List<String> warm) {
        for (String t : warm) learn(t);
    }

    private void learn(String template) {
        counts.merge(template, 1, Integer::sum);
        lines++;
    }

    /** Scores each template in order, learning it after scoring. */
    public double[] scores(List<String> templates) {
        double[] out = new double[templates.size()];
        for (int i = 0; i < out.length; i++) {
            String t = templates.get(i);
            out[i] = -Math.log((counts.getOrDefault(t, 0) + 1.0) / (lines + 1.0));
            learn(t);
        }
        return out;
    }
}
