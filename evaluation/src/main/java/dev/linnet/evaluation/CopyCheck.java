package dev.linnet.evaluation;

import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;

import java.util.Locale;

/**
 * Does the model use what it has just read? A passage of synthetic log traffic is read several times in a row
 * in one stream; a model that copies from its context predicts the second reading almost for free (a few
 * hundredths of a nat per token for a transformer with induction heads), one that does not predicts it about
 * as badly as the first. Recall of a planted fact (see {@link RecallHarness}) needs this ability first, so
 * this small check says whether a recall curve of zeros means "the memory ends before D" or "the model never
 * copies at all".
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

    private CopyCheck() {}

    /** The passage: whole lines of seeded traffic, at least {@code minTokens} tokens. */
    public static int[] passage(TextEncoder encoder, long seed, int minTokens) {
        if (minTokens <= 0) throw new IllegalArgumentException("passage must have at least one token, got " + minTokens);
        LogTraffic traffic = new LogTraffic(seed);
        StringBuilder text = new StringBuilder();
        int[] tokens = new int[0];
        while (tokens.length < minTokens) {
            for (int i = 0; i < 8; i++) text.append(traffic.next().text()).append('\n');
            tokens = encoder.encode(text.toString());
        }
        return tokens;
    }

    /** Reads the passage {@code readings} times in one fresh stream, in chunks of at most {@code chunk} tokens. */
    public static Result run(String name, Model model, int[] passage, int readings, int chunk) {
        if (readings < 2) throw new IllegalArgumentException("need at least 2 readings to compare, got " + readings);
        StreamFeeder feeder = new StreamFeeder(model, chunk, chunk);
        StreamState state = model.newState();
        double[] mean = new double[readings];
        for (int r = 0; r < readings; r++) {
            float[] s = feeder.feed(state, passage);
            double sum = 0;
            int n = 0;
            for (float v : s) {
                if (!Float.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
            mean[r] = n == 0 ? Double.NaN : sum / n;
        }
        return new Result(name, passage.length, mean);
    }

    /** One row per model: the mean surprisal of each reading and the gain. */
    public static String table(java.util.List<Result> results) {
        int readings = results.isEmpty() ? 0 : results.get(0).meanSurprisal().length;
        StringBuilder sb = new StringBuilder("| model | passage tokens |");
        for (int r = 1; r <= readings; r++) sb.append(" reading ").append(r).append(" |");
        sb.append(" gain (nats/token) |\n|---|---:|");
        for (int r = 0; r <= readings; r++) sb.append("---:|");
        sb.append('\n');
        for (Result res : results) {
            sb.append("| ").append(res.model()).append(" | ").append(res.passageTokens()).append(" |");
            for (double m : res.meanSurprisal()) sb.append(String.format(Locale.ROOT, " %.3f |", m));
            sb.append(String.format(Locale.ROOT, " %.3f |%n", res.gain()));
        }
        return sb.toString();
    }
}
