package dev.linnet.engine.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One model's recall against distance, summarised from its {@link RecallHarness.Outcome}s.
 *
 * @param model  a name for the model (its directory, or "default")
 * @param window the softmax layers' window, 0 when it has none
 */
public record RecallCurve(String model, int window, List<Point> points) {

    /**
     * @param trials        probes at this distance (chance probes counted apart)
     * @param accuracy      share recalled exactly under greedy decoding
     * @param probability   mean probability of the whole value
     * @param tokenAccuracy share of value tokens that are the argmax
     * @param chanceAccuracy    the same for the control (a request id never seen)
     * @param chanceProbability the same for the control
     */
    public record Point(int distance, int trials, double accuracy, double probability, double tokenAccuracy,
                        double chanceAccuracy, double chanceProbability) {
        /** Wilson 95% interval of the accuracy, as {low, high}. */
        public double[] accuracyInterval() {
            return wilson(accuracy, trials);
        }
    }

    public static RecallCurve of(String model, int window, List<RecallHarness.Outcome> outcomes) {
        TreeMap<Integer, double[]> sums = new TreeMap<>(); // trials, exact, p, tokacc, chanceTrials, chanceExact, chanceP
        for (RecallHarness.Outcome o : outcomes) {
            double[] s = sums.computeIfAbsent(o.probe().distance(), k -> new double[7]);
            double p = Math.exp(o.logProb());
            if (o.probe().chance()) {
                s[4]++;
                s[5] += o.exact() ? 1 : 0;
                s[6] += p;
            } else {
                s[0]++;
                s[1] += o.exact() ? 1 : 0;
                s[2] += p;
                s[3] += o.correctTokens() / (double) o.probe().valueLength();
            }
        }
        List<Point> points = new ArrayList<>();
        sums.forEach((d, s) -> points.add(new Point(d, (int) s[0], ratio(s[1], s[0]), ratio(s[2], s[0]), ratio(s[3], s[0]),
                ratio(s[5], s[4]), ratio(s[6], s[4]))));
        return new RecallCurve(model, window, List.copyOf(points));
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    static double[] wilson(double p, int n) {
        if (n == 0) return new double[] {Double.NaN, Double.NaN};
        double z = 1.96, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
