package dev.linnet.flink.operator;

/**
 * Mean, max and the k highest of a record's surprisals, skipping NaN (the stream's very first token, which
 * nothing predicts). Computed in a fixed order, so the same surprisals always give the same bits.
 */
final class SurpriseSummary {

    final double mean;
    final float max;
    final int[] topPositions;
    final float[] topSurprisals;

    private SurpriseSummary(double mean, float max, int[] topPositions, float[] topSurprisals) {
        this.mean = mean;
        this.max = max;
        this.topPositions = topPositions;
        this.topSurprisals = topSurprisals;
    }

    static SurpriseSummary of(float[] surprisal, int k) {
        double sum = 0;
        int counted = 0;
        float max = Float.NaN;
        for (float s : surprisal) {
            if (!Float.isNaN(s)) {
                sum += s;
                counted++;
                if (Float.isNaN(max) || s > max) {
                    max = s;
                }
            }
        }
        int top = Math.min(k, counted);
        int[] positions = new int[top];
        float[] values = new float[top];
        int filled = 0;
        // insertion into a short sorted list: k is small; strict '>' keeps the earlier position first on ties
        for (int i = 0; i < surprisal.length; i++) {
            float s = surprisal[i];
            if (Float.isNaN(s) || top == 0) {
                continue;
            }
            int at = filled;
            while (at > 0 && s > values[at - 1]) {
                at--;
            }
            if (at >= top) {
                continue;
            }
            int last = Math.min(filled, top - 1);
            System.arraycopy(positions, at, positions, at + 1, last - at);
            System.arraycopy(values, at, values, at + 1, last - at);
            positions[at] = i;
            values[at] = s;
            if (filled < top) {
                filled++;
            }
        }
        return new SurpriseSummary(counted == 0 ? Double.NaN : sum / counted, max, positions, values);
    }
}
