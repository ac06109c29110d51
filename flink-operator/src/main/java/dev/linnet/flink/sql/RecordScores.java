package dev.linnet.flink.sql;

import java.util.Arrays;

/**
 * Mean, max and the k highest of one text's surprisals, as the scoring operator reports them: the stream's
 * very first token has no surprisal (NaN: nothing predicts it) and is left out; the mean is summed in
 * position order in double; the top list is most surprising first, ties in position order. Mean and max are
 * null when no token was predicted (SQL has NULL where the operator has NaN).
 */
final class RecordScores {

    final Double mean;
    final Float max;
    final int[] topPositions;
    final float[] topSurprisals;

    private RecordScores(Double mean, Float max, int[] topPositions, float[] topSurprisals) {
        this.mean = mean;
        this.max = max;
        this.topPositions = topPositions;
        this.topSurprisals = topSurprisals;
    }

    static RecordScores of(float[] surprisal, int k) {
        double sum = 0;
        int counted = 0;
        float max = Float.NaN;
        Integer[] predicted = new Integer[surprisal.length];
        for (int i = 0; i < surprisal.length; i++) {
            float s = surprisal[i];
            if (!Float.isNaN(s)) {
                sum += s;
                predicted[counted++] = i;
                if (Float.isNaN(max) || s > max) {
                    max = s;
                }
            }
        }
        int top = Math.min(k, counted);
        Integer[] order = Arrays.copyOf(predicted, counted);
        if (top > 0) {
            // stable sort on surprisal, descending: equal values (0.0 and -0.0 too) keep position order
            Arrays.sort(order, (a, b) -> surprisal[b] > surprisal[a] ? 1 : surprisal[b] < surprisal[a] ? -1 : 0);
        }
        int[] positions = new int[top];
        float[] values = new float[top];
        for (int i = 0; i < top; i++) {
            positions[i] = order[i];
            values[i] = surprisal[order[i]];
        }
        return counted == 0
                ? new RecordScores(null, null, positions, values)
                : new RecordScores(sum / counted, max, positions, values);
    }
}
