package dev.linnet.engine.cli;

import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.Checkpoint;
import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code check-reference --model DIR --reference FILE}: runs the engine over the reference's input_ids in one
 * pass and in chunks of 1, 7 and 64 tokens, and compares logits, every layer's hidden states and the final
 * lightning states with the reference tensors present. Exits 1 when any error exceeds the tolerance.
 *
 * <p>Logits and hidden states are compared in absolute terms. A lightning state is a running sum that grows with
 * the stream where a head's decay is slow, so its float32 rounding grows with it: its error is taken relative to
 * the layer's largest reference entry where that exceeds 1 (absolute below), the same yardstick at any scale.
 */
public final class CheckReferenceCommand implements Command {
    static final double DEFAULT_TOLERANCE = 1e-3;
    private static final Map<String, String> OPTIONS =
            Map.of("--model", "DIR", "--reference", "FILE", "--tolerance", "T", "--weights", "as_stored|f32|bf16");

    @Override
    public String name() {
        return "check-reference";
    }

    @Override
    public String summary() {
        return "compare the engine with reference outputs (golden.safetensors), whole and chunked";
    }

    /** The largest errors of one way of chunking (the state's scaled as the class comment says). */
    public record Errors(int chunk, double logits, double hidden, double state) {
        double max() {
            return Math.max(logits, Math.max(hidden, state));
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "chunks=%d max_abs_logit_error=%.3e max_abs_hidden_error=%.3e max_scaled_state_error=%.3e",
                    chunk,
                    logits,
                    hidden,
                    state);
        }
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        Path model;
        Path reference;
        double tolerance;
        LoadOptions.WeightPrecision precision;
        try {
            CommandArgs a = CommandArgs.parse(name(), args, OPTIONS, Set.of());
            if (a.help()) {
                usage(out);
                return 0;
            }
            model = a.requiredPath("--model");
            reference = a.requiredPath("--reference");
            tolerance = a.number("--tolerance", DEFAULT_TOLERANCE, 0);
            precision = a.choice("--weights", LoadOptions.WeightPrecision.class, LoadOptions.WeightPrecision.AS_STORED);
        } catch (CommandArgs.UsageException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (!Files.isDirectory(model)) {
            err.println("check-reference: --model " + model + ": no such directory");
            return 2;
        }
        if (!Files.isRegularFile(reference)) {
            err.println("check-reference: --reference " + reference + ": no such file");
            return 2;
        }
        List<Errors> all = check(model, reference, precision);
        boolean ok = true;
        for (Errors e : all) {
            out.println(e.line());
            ok &= e.max() <= tolerance;
        }
        out.println(ok ? "PASS (tolerance " + tolerance + ")" : "FAIL: an error exceeds the tolerance " + tolerance);
        return ok ? 0 : 1;
    }

    private static void usage(PrintStream p) {
        p.println(
                "usage: check-reference --model DIR --reference FILE [--tolerance 1e-3] [--weights as_stored|f32|bf16]");
    }

    /** Runs every chunking and returns their errors (one pass first, then 1, 7, 64). */
    public static List<Errors> check(Path modelDir, Path reference, LoadOptions.WeightPrecision precision)
            throws Exception {
        ModelConfig cfg = ConfigParser.read(modelDir.resolve("config.json"));
        try (Checkpoint ref = Checkpoint.open(reference)) {
            long[] ids64 = ref.readLongs("input_ids");
            int seq = ids64.length;
            int[] ids = new int[seq];
            for (int i = 0; i < seq; i++) ids[i] = Math.toIntExact(ids64[i]);
            // a config without a window is checked with one no shorter than the sequence (the unbounded model)
            LoadOptions opts = LoadOptions.DEFAULT
                    .withWeights(precision)
                    .withWindowBound(Math.max(seq, LoadOptions.DEFAULT_WINDOW_BOUND));
            Model model = Model.load(modelDir, opts);
            double[] refLogits = ref.has("logits") ? ref.readDoubles("logits") : null;
            int layers = cfg.numHiddenLayers();
            double[][] refHidden = new double[layers + 1][];
            for (int i = 0; i <= layers; i++) {
                if (ref.has("hidden_states." + i)) refHidden[i] = ref.readDoubles("hidden_states." + i);
            }
            double[][] refState = new double[layers][];
            for (int i = 0; i < layers; i++) {
                if (ref.has("linear_state." + i)) refState[i] = ref.readDoubles("linear_state." + i);
            }
            List<Errors> result = new ArrayList<>();
            for (int chunk : new int[] {seq, 1, 7, 64}) {
                result.add(run(model, cfg, ids, chunk, refLogits, refHidden, refState));
            }
            return result;
        }
    }

    private static Errors run(
            Model model,
            ModelConfig cfg,
            int[] ids,
            int chunk,
            double[] refLogits,
            double[][] refHidden,
            double[][] refState) {
        int seq = ids.length;
        int hidden = cfg.hiddenSize();
        int vocab = cfg.vocabSize();
        int layers = cfg.numHiddenLayers();
        float[] logits = new float[seq * vocab];
        float[][] hiddenStates = new float[layers + 1][seq * hidden];
        StreamState state = model.newState();
        for (int c0 = 0; c0 < seq; c0 += chunk) {
            int c = Math.min(chunk, seq - c0);
            int[] part = java.util.Arrays.copyOfRange(ids, c0, c0 + c);
            final int at = c0;
            ChunkResult r = model.forward(
                    state,
                    part,
                    ForwardOptions.NETWORK.withLogits(),
                    (index, rows) -> System.arraycopy(rows, 0, hiddenStates[index], at * hidden, rows.length));
            System.arraycopy(r.logits(), 0, logits, c0 * vocab, c * vocab);
        }
        double eLogits = refLogits == null ? 0 : maxAbs(logits, refLogits);
        double eHidden = 0;
        for (int i = 0; i <= layers; i++) {
            if (refHidden[i] != null) eHidden = Math.max(eHidden, maxAbs(hiddenStates[i], refHidden[i]));
        }
        double eState = 0;
        int linearIndex = 0;
        for (int l = 0; l < layers; l++) {
            if (cfg.layerType(l) != LayerType.LINEAR) continue;
            if (refState[l] != null) {
                double scale = Math.max(1.0, maxMagnitude(refState[l]));
                eState = Math.max(eState, maxAbs(state.linear(linearIndex), refState[l]) / scale);
            }
            linearIndex++;
        }
        return new Errors(chunk, eLogits, eHidden, eState);
    }

    private static double maxMagnitude(double[] ref) {
        double m = 0;
        for (double v : ref) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static double maxAbs(float[] got, double[] ref) {
        if (got.length != ref.length) {
            throw new IllegalStateException(
                    "reference tensor has " + ref.length + " values, engine produced " + got.length);
        }
        double m = 0;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - ref[i]);
            if (Double.isNaN(e)) return Double.POSITIVE_INFINITY; // a NaN is never within tolerance
            m = Math.max(m, e);
        }
        return m;
    }
}
