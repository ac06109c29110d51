package dev.linnet.evaluation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's recall against distance, summarised from its {@link RecallHarness.Outcome}s.
 *
 * @param model  a name for the model (its directory, or "default")
 * @param window the softmax layers' window, 0 when it has none
 */
public record RecallCurve(String model, int window, List<Point> points) {

    /**
     * Averages over the questions of one kind at one distance.
     *
     * @param accuracy       share answered exactly under greedy decoding
     * @param probability    mean probability of the whole answer
     * @param logProbability mean natural log of that probability (the graded measure: accuracy is all or nothing)
     * @param tokenAccuracy  share of answer tokens that are the argmax given the ones before
     */
    public record Stats(int trials, double accuracy, double probability, double logProbability, double tokenAccuracy) {
        static final Stats NONE = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /** Wilson 95% interval of the accuracy, as {low, high}. */
        public double[] accuracyInterval() {
            return wilson(accuracy, trials);
        }

        /** Standard error of the accuracy, sqrt(p (1 - p) / n). */
        public double accuracyStandardError() {
            return StandardError.ofProportion(accuracy, trials);
        }
    }

    /**
     * The fact's question and its three controls at one distance.
     *
     * @param wrongKey the same name asked with another request id seen in the stream: its accuracy is how often greedy
     *                 decoding writes the fact's name there
     * @param binding  per trial, ln P(name | its own request id) - ln P(name | the wrong request id): its mean and
     *                 standard error over the trials that asked both (nats; 0 when the id adds nothing)
     */
    public record Point(
            int distance, Stats fact, Stats familiarValue, Stats unseen, Stats wrongKey, StandardError.Mean binding) {
        /** Mean log-likelihood the fact adds over the prior of a name (nats): above 0 means it is remembered at all. */
        public double gainOverPrior() {
            return fact.logProbability() - unseen.logProbability();
        }

        /** Over a question about the same name with a key never seen: what having seen the key adds (nats). */
        public double gainOverFamiliarValue() {
            return fact.logProbability() - familiarValue.logProbability();
        }

        /** The binding gain's mean: over the same name asked with a key seen with another name (nats). */
        public double bindingGain() {
            return binding.mean();
        }
    }

    public static RecallCurve of(String model, int window, List<RecallHarness.Outcome> outcomes) {
        TreeMap<Integer, Map<ProbeKind, double[]>> sums = new TreeMap<>(); // n, exact, p, log p, token accuracy
        // per distance, per fact: ln P with its own key and with the wrong key
        Map<Integer, Map<Integer, double[]>> pairs = new HashMap<>();
        for (RecallHarness.Outcome o : outcomes) {
            double[] s = sums.computeIfAbsent(o.probe().distance(), k -> new EnumMap<>(ProbeKind.class))
                    .computeIfAbsent(o.probe().kind(), k -> new double[5]);
            s[0]++;
            s[1] += o.exact() ? 1 : 0;
            s[2] += Math.exp(o.logProb());
            s[3] += o.logProb();
            s[4] += o.correctTokens() / (double) o.probe().valueLength();
            if (o.probe().kind() == ProbeKind.FACT || o.probe().kind() == ProbeKind.WRONG_KEY) {
                double[] pair = pairs.computeIfAbsent(o.probe().distance(), k -> new TreeMap<>())
                        .computeIfAbsent(o.probe().fact(), k -> new double[] {Double.NaN, Double.NaN});
                pair[o.probe().kind() == ProbeKind.FACT ? 0 : 1] = o.logProb();
            }
        }
        List<Point> points = new ArrayList<>();
        sums.forEach((d, byKind) -> points.add(new Point(
                d,
                stats(byKind.get(ProbeKind.FACT)),
                stats(byKind.get(ProbeKind.FAMILIAR_VALUE)),
                stats(byKind.get(ProbeKind.UNSEEN)),
                stats(byKind.get(ProbeKind.WRONG_KEY)),
                binding(pairs.get(d)))));
        return new RecallCurve(model, window, List.copyOf(points));
    }

    /** Mean and standard error of the per-trial differences, over the trials that asked both questions. */
    private static StandardError.Mean binding(Map<Integer, double[]> byFact) {
        if (byFact == null) return StandardError.Mean.NONE;
        double[] diffs = byFact.values().stream().mapToDouble(p -> p[0] - p[1]).toArray(); // NaN when one is missing
        return StandardError.ofMean(diffs);
    }

    private static Stats stats(double[] s) {
        if (s == null || s[0] == 0) return Stats.NONE;
        return new Stats((int) s[0], s[1] / s[0], s[2] / s[0], s[3] / s[0], s[4] / s[0]);
    }

    static double[] wilson(double p, int n) {
        if (n == 0) return new double[] {Double.NaN, Double.NaN};
        double z = 1.96, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
