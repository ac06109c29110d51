package dev.linnet.evaluation;

import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Does the model use what it has just read? A passage of synthetic log traffic is read several times in a row
 * in one stream; a model that copies from its context predicts the second reading almost for free (a few
 * hundredths of a nat per token for a transformer with induction heads), one that does not predicts it about
 * as badly as the first. Recall of a planted fact (see {@link RecallHarness}) needs this ability first, so
 * this small check says whether a recall curve of zeros means "the memory ends before D" or "the model never
 * copies at all".
 *
 * <p>One passage gives one number; {@link #run(String, Model, int, List, int, int, int, int)} reads several passages, each in a
 * stream of its own, and gives the gain's mean with its standard error over them. A token's previous copy lies one
 * passage back, so a passage of at most the softmax window's length measures copying inside the window, a longer one
 * what the state keeps beyond it.
 */
public final class CopyCheck {

    /**
     * @param passageTokens tokens of the passage (whole lines of traffic, newline-terminated)
     * @param meanSurprisal mean surprisal (nats per token) of each reading, first to last; the very first token
     *                      of the stream has no prediction and is left out of the first reading's mean
     */
    public record Result(String model, int passageTokens, double[] meanSurprisal) {
        /** First reading minus last: what reading the passage before bought, in nats per token. */
        public double gain() {
            return meanSurprisal[0] - meanSurprisal[meanSurprisal.length - 1];
        }
    }

    /**
     * Several passages of about the same length, each read the same number of times in its own stream.
     *
     * @param window       the model's softmax window (0 when it has none)
     * @param askedTokens  the least length asked of each passage
     * @param passages     one result per passage
     */
    public record Summary(String model, int window, int askedTokens, List<Result> passages) {
        public Summary {
            passages = List.copyOf(passages);
            if (passages.isEmpty()) throw new IllegalArgumentException("no passage");
        }

        public int readings() {
            return passages.get(0).meanSurprisal().length;
        }

        /** Mean passage length in tokens. */
        public double meanTokens() {
            return passages.stream().mapToInt(Result::passageTokens).average().orElse(Double.NaN);
        }

        /** Reading r's mean surprisal (nats per token), averaged over the passages, with its standard error. */
        public StandardError.Mean reading(int r) {
            return StandardError.ofMean(
                    passages.stream().mapToDouble(p -> p.meanSurprisal()[r]).toArray());
        }

        /** First reading minus last, per passage: the mean over passages and its standard error (nats per token). */
        public StandardError.Mean gain() {
            return StandardError.ofMean(
                    passages.stream().mapToDouble(Result::gain).toArray());
        }

        /**
         * Where a token's previous copy (one passage back) lies from the softmax layers: "inside the window" when every
         * passage is at most the window long, "outside the window" when every one is longer, else "straddles the window";
         * "no window" for a model without one.
         */
        public String whereThePreviousReadingLies() {
            if (window <= 0) return "no window";
            boolean allInside = passages.stream().allMatch(p -> p.passageTokens() <= window);
            boolean allOutside = passages.stream().allMatch(p -> p.passageTokens() > window);
            return allInside ? "inside the window" : allOutside ? "outside the window" : "straddles the window";
        }
    }

    private CopyCheck() {}

    /** The passage: whole lines of seeded traffic, at least {@code minTokens} tokens. */
    public static int[] passage(TextEncoder encoder, long seed, int minTokens) {
        if (minTokens <= 0)
            throw new IllegalArgumentException("passage must have at least one token, got " + minTokens);
        LogTraffic traffic = new LogTraffic(seed);
        StringBuilder text = new StringBuilder();
        int[] tokens = new int[0];
        while (tokens.length < minTokens) {
            for (int i = 0; i < 8; i++) text.append(traffic.next().text()).append('\n');
            tokens = encoder.encode(text.toString());
        }
        return tokens;
    }

    /** {@code count} passages of at least {@code minTokens} tokens: passage k is {@link #passage} of seed + k. */
    public static List<int[]> passages(TextEncoder encoder, long seed, int count, int minTokens) {
        if (count <= 0) throw new IllegalArgumentException("need at least one passage, got " + count);
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) out.add(passage(encoder, seed + k, minTokens));
        return out;
    }

    /** Reads the passage {@code readings} times in one fresh stream, in chunks of at most {@code chunk} tokens. */
    public static Result run(String name, Model model, int[] passage, int readings, int chunk) {
        return read(name, model, List.of(passage), readings, chunk, chunk).get(0);
    }

    /**
     * Reads each passage {@code readings} times in a fresh stream of its own (the streams advance side by side, at
     * most {@code batchTokens} tokens a step).
     */
    public static Summary run(
            String name,
            Model model,
            int window,
            List<int[]> passages,
            int askedTokens,
            int readings,
            int chunk,
            int batchTokens) {
        return new Summary(name, window, askedTokens, read(name, model, passages, readings, chunk, batchTokens));
    }

    private static List<Result> read(
            String name, Model model, List<int[]> passages, int readings, int chunk, int batchTokens) {
        if (readings < 2) throw new IllegalArgumentException("need at least 2 readings to compare, got " + readings);
        if (passages.isEmpty()) throw new IllegalArgumentException("no passage");
        StreamFeeder feeder = new StreamFeeder(model, chunk, Math.max(chunk, batchTokens));
        List<StreamState> states = new ArrayList<>();
        for (int i = 0; i < passages.size(); i++) states.add(model.newState());
        double[][] mean = new double[passages.size()][readings];
        for (int r = 0; r < readings; r++) {
            float[][] s = feeder.feed(states, passages);
            for (int i = 0; i < passages.size(); i++) mean[i][r] = mean(s[i]);
        }
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < passages.size(); i++) out.add(new Result(name, passages.get(i).length, mean[i]));
        return out;
    }

    private static double mean(float[] s) {
        double sum = 0;
        int n = 0;
        for (float v : s) {
            if (!Float.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * One row per model and passage length: the passages' mean surprisal of each reading, the gain (first reading minus
     * last) with its standard error over the passages, and where the previous reading lies from the window.
     */
    public static String summaryTable(List<Summary> summaries) {
        int readings = summaries.isEmpty() ? 0 : summaries.get(0).readings();
        StringBuilder sb =
                new StringBuilder("| model | window | passage tokens (mean) | passages | previous reading |");
        for (int r = 1; r <= readings; r++) sb.append(" reading ").append(r).append(" |");
        sb.append(" gain (nats/token) | SE |\n|---|---:|---:|---:|---|");
        for (int r = 0; r < readings + 2; r++) sb.append("---:|");
        sb.append('\n');
        for (Summary s : summaries) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.0f | %d | %s |",
                    s.model(),
                    s.window() > 0 ? String.valueOf(s.window()) : "none",
                    s.meanTokens(),
                    s.passages().size(),
                    s.whereThePreviousReadingLies()));
            for (int r = 0; r < s.readings(); r++)
                sb.append(String.format(Locale.ROOT, " %.3f |", s.reading(r).mean()));
            StandardError.Mean g = s.gain();
            sb.append(String.format(Locale.ROOT, " %.3f | %.3f |%n", g.mean(), g.standardError()));
        }
        return sb.toString();
    }

    /** One row per model: the mean surprisal of each reading and the gain. */
    public static String table(List<Result> results) {
        int readings = results.isEmpty() ? 0 : results.get(0).meanSurprisal().length;
        StringBuilder sb = new StringBuilder("| model | passage tokens |");
        for (int r = 1; r <= readings; r++) sb.append(" reading ").append(r).append(" |");
        sb.append(" gain (nats/token) |\n|---|---:|");
        for (int r = 0; r <= readings; r++) sb.append("---:|");
        sb.append('\n');
        for (Result res : results) {
            sb.append("| ")
                    .append(res.model())
                    .append(" | ")
                    .append(res.passageTokens())
                    .append(" |");
            for (double m : res.meanSurprisal()) sb.append(String.format(Locale.ROOT, " %.3f |", m));
            sb.append(String.format(Locale.ROOT, " %.3f |%n", res.gain()));
        }
        return sb.toString();
    }
}
