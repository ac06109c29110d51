package dev.linnet.evaluation.cli;

import dev.linnet.engine.cli.Command;
import dev.linnet.engine.model.DefaultModel;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.tokenizer.Tokenizer;
import dev.linnet.evaluation.AnomalyEvaluation;
import dev.linnet.evaluation.AnomalyIntervals;
import dev.linnet.evaluation.AnomalyProtocol;
import dev.linnet.evaluation.BglLog;
import dev.linnet.evaluation.Bootstrap;
import dev.linnet.evaluation.Compressors;
import dev.linnet.evaluation.CopyCheck;
import dev.linnet.evaluation.HdfsSessions;
import dev.linnet.evaluation.RecallCurve;
import dev.linnet.evaluation.RecallHarness;
import dev.linnet.evaluation.RecallReport;
import dev.linnet.evaluation.RecallStream;
import dev.linnet.evaluation.StreamEvaluation;
import dev.linnet.evaluation.StreamReport;
import dev.linnet.evaluation.TextEncoder;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code eval recall ...}, {@code eval anomaly ...} and {@code eval stream ...}: the model's memory over
 * distance, anomaly detection on the loghub samples against plain baselines and published figures, and the
 * model as a compressor of whole log files against gzip, zstd and xz. See --help.
 */
public final class EvalCommand implements Command {
    /** The default model's resource folder. */
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "recall over distance (synthetic logs), in-context copying, anomaly detection (loghub BGL_2k, HDFS sessions),"
                + " and log files as one stream (bits per byte against gzip, zstd, xz)";
    }

    private static void usage(PrintStream out) {
        out.println(
                "usage: eval recall  --model DIR|default [--model ...] [--tokenizer FILE] [--distances 16,64,...,65536,2w,4w,16w]");
        out.println(
                "                    [--trials 256] [--seed 1] [--preamble 256] [--plot recall.svg] [--chunk 1024] [--weights as_stored|f32|bf16]");
        out.println(
                "       eval anomaly --model DIR|default [--model ...] [--tokenizer FILE] --loghub DIR [--hdfs-warm-tokens 8192]");
        out.println(
                "                    [--line-score exceedance] [--session-score embedding] [--resamples 2000] [--seed 1]");
        out.println("                    [--chunk 1024] [--weights as_stored|f32|bf16] [--baselines-only]");
        out.println(
                "       eval copy    --model DIR|default [--model ...] [--tokenizer FILE] [--passage-tokens 512[,2w,...]] [--passages 16]");
        out.println("                    [--readings 4] [--seed 1] [--chunk 1024] [--weights as_stored|f32|bf16]");
        out.println(
                "       eval stream  --model DIR|default [--model ...] [--tokenizer FILE] [--loghub DIR] [--file F ...] [--chunk 1024]");
        out.println("                    [--weights as_stored|f32|bf16] [--csv out.csv] [--repeat-to N] [--seed 1]");
        out.println(
                "--model default loads the model shipped in the jar. The tokenizer is --tokenizer, else the model's own tokenizer.json.");
        out.println(
                "recall: plants a request id -> user fact in synthetic web-shop logs and asks for it D tokens later (exactly D tokens");
        out.println(
                "  between the fact's line and the question); greedy accuracy of the user name +- its standard error, against a");
        out.println(
                "  wrong-key control (the same name asked under another request id seen in the stream with its own name: its greedy");
        out.println(
                "  rate of writing the planted name +- SE) and controls that ask about a request id never seen. Binding gain: the mean");
        out.println(
                "  over trials of ln P(name | its own id) - ln P(name | the wrong id) +- SE. Each trial is one fact asked at every D");
        out.println(
                "  (copies of the stream state). A distance is tokens, or a multiple of the model's window (config sliding_window):");
        out.println(
                "  2w or 2x. The default list is 16,64,256,512,1K,2K,4K,16K,64K plus 2w, 4w and 16w of each model.");
        out.println(
                "copy: reads each of --passages passages of synthetic log traffic (seeds seed, seed+1, ...) --readings times in a stream");
        out.println(
                "  of its own; mean surprisal of each reading, and the gain (first reading minus last) per token: its mean and standard");
        out.println(
                "  error over the passages. A model that copies from context predicts the second reading almost for free; recall needs");
        out.println(
                "  that ability first. A token's previous copy lies one passage back: --passage-tokens at most the window measures");
        out.println(
                "  copying inside it, longer (e.g. 2w, twice the window) what is left outside it; each length is one row.");
        out.println(
                "anomaly: states the primary scores, one a dataset, before scoring: --line-score (BGL: mean-surprisal,");
        out.println(
                "  exceedance, job-z, job-exceedance, job-z-validation; default exceedance) and --session-score (HDFS:");
        out.println(
                "  largest-line-score, embedding; default embedding). Then the protocol and one table: each model's line score, its");
        out.println(
                "  exceedance over the stream's earlier lines (BGL), its session embedding's distance to the nearest normal session");
        out.println(
                "  (HDFS) and the log-anomaly job's z-score rule (BGL); baselines on the same split; published figures. Each row's");
        out.println(
                "  test F1 gets a 95% interval from a seeded bootstrap of the test part's units (BGL lines, HDFS sessions;");
        out.println(
                "  --resamples, --seed), thresholds fixed by validation; the verdict column and a second table compare the primary");
        out.println(
                "  rows with each baseline on the same resamples (95% interval of the F1 difference) and with the published");
        out.println("  figures: above, below, or ties.");
        out.println(
                "stream: each loghub */*_2k.log (by system name) and each --file fed as one stream after <|endoftext|>; the");
        out.println(
                "  model's bits per byte (sum of surprisal / ln 2 / bytes) for the file and each quarter of its bytes, beside gzip -9,");
        out.println(
                "  zstd -19 and xz -9e on the same bytes (the tools when on the PATH, else Java libraries), model/xz and Q4/Q1.");
        out.println(
                "  --csv writes the rows as CSV. --repeat-to N instead feeds one stream of at least N tokens: the first --file (else the");
        out.println(
                "  first loghub file) repeated with every digit renewed at random (--seed), bits per byte of each tenth, NaN/inf count.");
        out.println("--loghub DIR: " + LOGHUB_WHERE + ".");
        out.println(
                "Threads: -Dlinnet.threads=N (default: all cores). Run with --add-modules jdk.incubator.vector and enough heap (-Xmx4g).");
    }

    /** Where the data of --loghub comes from: it may not be redistributed, so it is not in the repository. */
    static final String LOGHUB_WHERE = "Loghub's logs are not in the Linnet repository (research use only): get the 2k"
            + " samples from logpai/loghub and the HDFS sessions from logpai/deep-loglizer on GitHub, laid out as"
            + " evaluation/README.md says";

    /** A model to evaluate, as named on the command line. */
    record ModelSpec(String name, Model model, TextEncoder encoder, Tokenizer tokenizer) {}

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        String mode = args[0];
        if (!mode.equals("recall") && !mode.equals("anomaly") && !mode.equals("copy") && !mode.equals("stream")) {
            err.println("eval: unknown evaluation '" + mode + "' (recall, copy, anomaly or stream)");
            usage(err);
            return 2;
        }
        List<String> models = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Path tokenizerFile = null, loghub = null, plot = Path.of("recall.svg"), csv = null;
        long repeatTo = 0;
        List<Distance> distances = null; // the default list, with the window multiples of each model
        List<Distance> passageTokens = List.of(Distance.ofTokens(512));
        int readings = 4, passages = 16;
        int trials = 256, preamble = 256, chunk = 1024, hdfsWarm = AnomalyProtocol.DEFAULT.hdfsWarmTokens();
        long seed = 1;
        boolean baselinesOnly = false;
        AnomalyEvaluation.LineScore lineScore = AnomalyEvaluation.LineScore.EXCEEDANCE;
        AnomalyEvaluation.SessionScore sessionScore = AnomalyEvaluation.SessionScore.EMBEDDING;
        int resamples = Bootstrap.DEFAULT_RESAMPLES;
        LoadOptions.WeightPrecision weights = LoadOptions.WeightPrecision.AS_STORED;
        try {
            for (int i = 1; i < args.length; i++) {
                switch (args[i]) {
                    case "--model" -> models.add(value(args, ++i));
                    case "--tokenizer" -> tokenizerFile = Path.of(value(args, ++i));
                    case "--loghub" -> loghub = Path.of(value(args, ++i));
                    case "--plot" -> plot = Path.of(value(args, ++i));
                    case "--distances" -> distances = distances(value(args, ++i), "--distances");
                    case "--passage-tokens" -> passageTokens = distances(value(args, ++i), "--passage-tokens");
                    case "--passages" -> passages = positive(value(args, ++i), "--passages");
                    case "--readings" -> readings = atLeastTwo(value(args, ++i));
                    case "--trials" -> trials = positive(value(args, ++i), "--trials");
                    case "--preamble" -> preamble = nonNegative(value(args, ++i), "--preamble");
                    case "--chunk" -> chunk = positive(value(args, ++i), "--chunk");
                    case "--seed" -> seed = nonNegative(value(args, ++i), "--seed");
                    case "--hdfs-warm-tokens" -> hdfsWarm = nonNegative(value(args, ++i), "--hdfs-warm-tokens");
                    case "--weights" -> weights = weights(value(args, ++i));
                    case "--baselines-only" -> baselinesOnly = true;
                    case "--line-score" -> lineScore = AnomalyEvaluation.LineScore.parse(value(args, ++i));
                    case "--session-score" -> sessionScore = AnomalyEvaluation.SessionScore.parse(value(args, ++i));
                    case "--resamples" -> resamples = positive(value(args, ++i), "--resamples");
                    case "--file" -> files.add(Path.of(value(args, ++i)));
                    case "--csv" -> csv = Path.of(value(args, ++i));
                    case "--repeat-to" -> repeatTo = positiveLong(value(args, ++i), "--repeat-to");
                    case "--help", "-h" -> {
                        usage(out);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("eval " + mode + ": " + e.getMessage());
            usage(err);
            return 2;
        }
        if (models.isEmpty() && !(mode.equals("anomaly") && baselinesOnly)) {
            err.println("eval " + mode + ": give at least one --model DIR (or --model default)");
            return 2;
        }
        if (mode.equals("anomaly") && loghub == null) {
            err.println("eval anomaly: --loghub DIR (the Loghub samples folder) is required; " + LOGHUB_WHERE);
            return 2;
        }
        if (mode.equals("stream") && loghub == null && files.isEmpty()) {
            err.println("eval stream: give --loghub DIR or --file F; " + LOGHUB_WHERE);
            return 2;
        }
        List<ModelSpec> specs = new ArrayList<>();
        if (!baselinesOnly) {
            for (String m : models) {
                try {
                    specs.add(load(m, tokenizerFile, weights));
                } catch (IllegalArgumentException e) {
                    err.println("eval " + mode + ": " + e.getMessage());
                    return 2;
                }
                err.printf(
                        Locale.ROOT,
                        "loaded %s: %s layers, hidden %d, window %d, kernels %s%n",
                        specs.get(specs.size() - 1).name(),
                        specs.get(specs.size() - 1).model().config().layerTypes(),
                        specs.get(specs.size() - 1).model().config().hiddenSize(),
                        specs.get(specs.size() - 1).model().window(),
                        specs.get(specs.size() - 1).model().kernels().name());
            }
        }
        if (mode.equals("copy")) return copy(specs, passageTokens, passages, readings, seed, chunk, out, err);
        if (mode.equals("stream")) return stream(specs, loghub, files, chunk, csv, repeatTo, seed, out, err);
        return mode.equals("recall")
                ? recall(specs, distances, trials, preamble, seed, chunk, plot, out, err)
                : anomaly(
                        specs,
                        loghub,
                        hdfsWarm,
                        chunk,
                        lineScore,
                        sessionScore,
                        new Bootstrap(resamples, seed),
                        out,
                        err);
    }

    private static int recall(
            List<ModelSpec> specs,
            List<Distance> distanceSpec,
            int trials,
            int preamble,
            long seed,
            int chunk,
            Path plot,
            PrintStream out,
            PrintStream err)
            throws Exception {
        List<int[]> perModel = new ArrayList<>();
        for (ModelSpec spec : specs) {
            try {
                perModel.add(resolve(distanceSpec, windowOf(spec.model())));
            } catch (IllegalArgumentException e) {
                err.println("eval recall: " + spec.name() + ": " + e.getMessage());
                return 2;
            }
        }
        List<RecallCurve> curves = new ArrayList<>();
        for (int m = 0; m < specs.size(); m++) {
            ModelSpec spec = specs.get(m);
            int[] distances = perModel.get(m);
            long t0 = System.nanoTime();
            err.printf(
                    Locale.ROOT,
                    "%s: distances %s (window %d)%n",
                    spec.name(),
                    java.util.Arrays.toString(distances),
                    windowOf(spec.model()));
            RecallStream stream = RecallStream.build(spec.encoder(), seed, trials, preamble, distances);
            err.printf(
                    Locale.ROOT,
                    "%s: stream of %d tokens (%d needed), %d facts, %d probes%s%n",
                    spec.name(),
                    stream.tokens().length,
                    stream.tokensNeeded(),
                    stream.facts().size(),
                    stream.probes().size(),
                    stream.skippedFacts() > 0
                            ? ", " + stream.skippedFacts() + " candidate facts skipped (value not a clean token span)"
                            : "");
            RecallHarness harness = new RecallHarness(chunk, 1024, err);
            List<RecallHarness.Outcome> outcomes = harness.run(spec.model(), stream);
            double secs = (System.nanoTime() - t0) / 1e9;
            err.printf(
                    Locale.ROOT,
                    "%s: %d tokens in %.0f s (%.0f tokens/s)%n",
                    spec.name(),
                    harness.tokensFed(),
                    secs,
                    harness.tokensFed() / secs);
            curves.add(RecallCurve.of(
                    spec.name(), hasSoftmax(spec.model()) ? spec.model().window() : 0, outcomes));
        }
        out.printf(
                Locale.ROOT,
                "Recall of a request's user after D tokens of other log traffic: greedy accuracy, %d trials per D (seed %d).%n",
                trials,
                seed);
        out.println(RecallReport.table(curves));
        out.print(RecallReport.textChart(curves));
        String svg = RecallReport.svg(curves, "Recall of a planted request_id -> user fact against distance");
        Files.writeString(plot, svg, StandardCharsets.UTF_8);
        out.println("plot: " + plot.toAbsolutePath());
        return 0;
    }

    private static int copy(
            List<ModelSpec> specs,
            List<Distance> passageTokens,
            int passages,
            int readings,
            long seed,
            int chunk,
            PrintStream out,
            PrintStream err) {
        List<CopyCheck.Summary> results = new ArrayList<>();
        for (ModelSpec spec : specs) {
            int window = windowOf(spec.model());
            int[] lengths;
            try {
                lengths = resolve(passageTokens, window);
            } catch (IllegalArgumentException e) {
                err.println("eval copy: " + spec.name() + ": --passage-tokens: " + e.getMessage());
                return 2;
            }
            for (int length : lengths) {
                long t0 = System.nanoTime();
                List<int[]> texts = CopyCheck.passages(spec.encoder(), seed, passages, length);
                CopyCheck.Summary s = CopyCheck.run(
                        spec.name(),
                        spec.model(),
                        hasSoftmax(spec.model()) ? window : 0,
                        texts,
                        length,
                        readings,
                        chunk,
                        4 * chunk);
                err.printf(
                        Locale.ROOT,
                        "%s: %d passages of %d+ tokens read %d times in %.0f s%n",
                        spec.name(),
                        passages,
                        length,
                        readings,
                        (System.nanoTime() - t0) / 1e9);
                results.add(s);
            }
        }
        out.printf(
                Locale.ROOT,
                "In-context copying: %d passages of synthetic log traffic (seeds %d-%d), each read %d times in a stream of its own;%n",
                passages,
                seed,
                seed + passages - 1,
                readings);
        out.println(
                "mean surprisal (nats/token) of each reading, averaged over the passages. Gain = first reading minus last, per");
        out.println(
                "passage: its mean and standard error over the passages. A token's previous copy lies one passage back: inside the");
        out.println(
                "softmax window when the passage is at most the window long, outside it when longer (--passage-tokens 2w).");
        out.print(CopyCheck.summaryTable(results));
        return 0;
    }

    private static int stream(
            List<ModelSpec> specs,
            Path loghub,
            List<Path> files,
            int chunk,
            Path csv,
            long repeatTo,
            long seed,
            PrintStream out,
            PrintStream err)
            throws Exception {
        List<StreamEvaluation.Source> sources = new ArrayList<>();
        try {
            if (loghub != null) sources.addAll(StreamEvaluation.loghubFiles(loghub));
        } catch (java.io.IOException e) {
            err.println("eval stream: " + e.getMessage());
            return 2;
        }
        List<StreamEvaluation.Source> given = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                err.println("eval stream: file not found: " + f);
                return 2;
            }
            given.add(StreamEvaluation.file(f));
        }
        sources.addAll(given);
        List<StreamEvaluation.Subject> subjects = new ArrayList<>();
        for (ModelSpec spec : specs)
            subjects.add(new StreamEvaluation.Subject(spec.name(), spec.model(), spec.tokenizer()));
        StreamEvaluation eval = new StreamEvaluation(chunk, out, err);
        try {
            if (repeatTo > 0) {
                List<StreamReport.LongRow> rows =
                        eval.longStream(subjects, given.isEmpty() ? sources.get(0) : given.get(0), repeatTo, seed);
                if (csv != null) StreamEvaluation.writeCsv(csv, StreamReport.longCsv(rows));
            } else {
                List<StreamReport.Row> rows = eval.compare(subjects, sources, Compressors.detect());
                if (csv != null) StreamEvaluation.writeCsv(csv, StreamReport.csv(rows));
            }
        } catch (IllegalArgumentException e) {
            err.println("eval stream: " + e.getMessage());
            return 2;
        }
        if (csv != null) out.println("csv: " + csv.toAbsolutePath());
        return 0;
    }

    private static int atLeastTwo(String v) {
        int n = positive(v, "--readings");
        if (n < 2) throw new IllegalArgumentException("--readings must be at least 2, got " + n);
        return n;
    }

    private static int anomaly(
            List<ModelSpec> specs,
            Path loghub,
            int hdfsWarm,
            int chunk,
            AnomalyEvaluation.LineScore lineScore,
            AnomalyEvaluation.SessionScore sessionScore,
            Bootstrap bootstrap,
            PrintStream out,
            PrintStream err)
            throws Exception {
        AnomalyProtocol protocol = new AnomalyProtocol(
                AnomalyProtocol.DEFAULT.bglWarmShare(),
                AnomalyProtocol.DEFAULT.bglValidationEnd(),
                AnomalyProtocol.DEFAULT.hdfsValidationShare(),
                hdfsWarm);
        AnomalyEvaluation eval;
        try {
            eval = new AnomalyEvaluation(protocol, BglLog.load(loghub), HdfsSessions.load(loghub));
        } catch (java.io.IOException | IllegalArgumentException e) {
            err.println("eval anomaly: cannot read the loghub data: " + e.getMessage() + "; " + LOGHUB_WHERE);
            return 2;
        }
        // the primary scores are stated before anything is scored
        if (specs.isEmpty()) {
            out.println("No model (--baselines-only): intervals for the baselines, no primary score to judge.");
        } else {
            out.println(
                    "Pre-declared primary scores (stated before this run; thresholds come from validation, and no score is chosen");
            out.println("on the test part):");
            out.printf(
                    Locale.ROOT,
                    "  BGL_2k line score: %s (--line-score %s)%n",
                    lineScore.label(),
                    lineScore.shortName());
            out.printf(
                    Locale.ROOT,
                    "  HDFS session score: %s (--session-score %s)%n",
                    sessionScore.label(),
                    sessionScore.shortName());
        }
        out.println();
        out.flush();
        List<AnomalyEvaluation.Row> rows = new ArrayList<>();
        List<AnomalyIntervals.Primary> primaries = new ArrayList<>();
        for (ModelSpec spec : specs) {
            String name = "Linnet " + spec.name();
            List<AnomalyEvaluation.Row> modelRows =
                    eval.linnet(name, spec.model(), spec.encoder(), chunk, 4 * chunk, err);
            AnomalyEvaluation.Row bglPrimary = find(modelRows, lineScore.row(name), true);
            AnomalyEvaluation.Row hdfsPrimary = find(modelRows, sessionScore.row(name), false);
            if (bglPrimary == null)
                err.println("eval anomaly: " + name + " has no row for the line score '" + lineScore.label() + "'");
            if (hdfsPrimary == null)
                err.println(
                        "eval anomaly: " + name + " has no row for the session score '" + sessionScore.label() + "'");
            primaries.add(new AnomalyIntervals.Primary(name, bglPrimary, hdfsPrimary));
            rows.addAll(modelRows);
        }
        List<AnomalyEvaluation.Row> baselines = eval.baselines();
        rows.addAll(baselines);
        rows.addAll(AnomalyEvaluation.published());
        AnomalyIntervals intervals = new AnomalyIntervals(rows, primaries, baselines, bootstrap);
        out.println(eval.protocolText());
        out.println(intervals.describe());
        out.println();
        out.print(AnomalyEvaluation.table(rows, intervals));
        out.println(
                "Published figures are F1 on the full BGL and HDFS datasets with their own splits (arXiv 2411.08561), not this sample.");
        if (!intervals.comparisons().isEmpty()) {
            out.println();
            out.println(
                    "The pre-declared primary scores against each baseline (paired, same resamples) and each published figure:");
            out.println();
            out.print(intervals.comparisonTable());
        }
        return 0;
    }

    /** The row of that name measured on the dataset, or null. */
    private static AnomalyEvaluation.Row find(List<AnomalyEvaluation.Row> rows, String method, boolean bgl) {
        for (AnomalyEvaluation.Row r : rows) {
            if (r.method().equals(method) && (bgl ? r.bgl() : r.hdfs()) != null) return r;
        }
        return null;
    }

    private static boolean hasSoftmax(Model m) {
        return m.config().countLayers(dev.linnet.engine.config.LayerType.SOFTMAX) > 0;
    }

    static ModelSpec load(String name, Path tokenizerFile, LoadOptions.WeightPrecision weights) throws Exception {
        Path dir;
        String label;
        if (name.equals("default")) {
            try {
                dir = DefaultModel.extract(EvalCommand.class.getClassLoader());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("no default model in this jar (" + e.getMessage() + ")");
            }
            label = "default model";
        } else {
            dir = Path.of(name);
            if (!Files.isDirectory(dir))
                throw new IllegalArgumentException("model directory " + dir + " does not exist");
            Path fileName = dir.toAbsolutePath().normalize().getFileName();
            label = fileName == null ? name : fileName.toString();
        }
        Path tok = tokenizerFile != null ? tokenizerFile : dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tok)) {
            throw new IllegalArgumentException("no tokenizer: " + tok + " does not exist (give --tokenizer FILE)");
        }
        Tokenizer tokenizer = Tokenizer.load(tok);
        Model model = Model.load(dir, LoadOptions.DEFAULT.withWeights(weights));
        if (tokenizer.idBound() > model.config().vocabSize()) {
            throw new IllegalArgumentException(
                    "tokenizer " + tok + " has ids up to " + tokenizer.idBound() + " but model " + name
                            + " has a vocabulary of " + model.config().vocabSize());
        }
        return new ModelSpec(label, model, tokenizer::encode, tokenizer);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException("option " + args[i - 1] + " needs a value");
        return args[i];
    }

    private static int positive(String s, String option) {
        int v = nonNegative(s, option);
        if (v == 0) throw new IllegalArgumentException(option + " must be positive, got 0");
        return v;
    }

    private static int nonNegative(String s, String option) {
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + s + "'");
        }
        if (v < 0) throw new IllegalArgumentException(option + " must not be negative, got " + v);
        return v;
    }

    private static long positiveLong(String s, String option) {
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + s + "'");
        }
        if (v <= 0) throw new IllegalArgumentException(option + " must be positive, got " + v);
        return v;
    }

    private static LoadOptions.WeightPrecision weights(String s) {
        try {
            return LoadOptions.WeightPrecision.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--weights takes as_stored, f32 or bf16, got '" + s + "'");
        }
    }

    /** The default recall distances; each model adds 2, 4 and 16 times its window where they are missing. */
    static final int[] DEFAULT_DISTANCES = {16, 64, 256, 512, 1024, 2048, 4096, 16384, 65536};

    static final double[] DEFAULT_WINDOW_MULTIPLES = {2, 4, 16};

    /** A distance as given: a number of tokens, or a multiple of the model's window ("2w", "0.5x"). */
    record Distance(int tokens, double windowMultiple) {
        static Distance ofTokens(int tokens) {
            return new Distance(tokens, Double.NaN);
        }

        static Distance ofWindows(double multiple) {
            return new Distance(0, multiple);
        }

        int resolve(int window) {
            if (Double.isNaN(windowMultiple)) return tokens;
            if (window <= 0)
                throw new IllegalArgumentException(
                        "a distance of " + windowMultiple + "w needs a window, and the model has none");
            long t = Math.round(windowMultiple * window);
            if (t < 1 || t > Integer.MAX_VALUE)
                throw new IllegalArgumentException(windowMultiple + "w is " + t + " tokens");
            return (int) t;
        }
    }

    /** Comma-separated distances: whole numbers of tokens, or a multiple of the window with w or x after it (2w, 0.5x). */
    static List<Distance> distances(String s, String option) {
        List<Distance> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.endsWith("w") || p.endsWith("x")) {
                double m;
                try {
                    m = Double.parseDouble(p.substring(0, p.length() - 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            option + " takes whole numbers or window multiples such as 2w, got '" + part + "'");
                }
                if (!(m > 0) || Double.isInfinite(m))
                    throw new IllegalArgumentException(
                            option + ": a window multiple must be positive, got '" + part + "'");
                out.add(Distance.ofWindows(m));
            } else {
                out.add(Distance.ofTokens(positive(p, option)));
            }
        }
        return out;
    }

    /**
     * The distances in tokens for a model of the given window, sorted, without repeats; a null spec is the default
     * list with 2, 4 and 16 windows added (when the model has a window).
     */
    static int[] resolve(List<Distance> spec, int window) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        if (spec == null) {
            for (int d : DEFAULT_DISTANCES) out.add(d);
            if (window > 0)
                for (double m : DEFAULT_WINDOW_MULTIPLES)
                    out.add(Distance.ofWindows(m).resolve(window));
        } else {
            for (Distance d : spec) out.add(d.resolve(window));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The model's softmax window as its config states it (sliding_window), else the load-time bound if it has softmax layers. */
    static int windowOf(Model m) {
        if (m.config().slidingWindow() > 0) return m.config().slidingWindow();
        return hasSoftmax(m) ? m.window() : 0;
    }
}
