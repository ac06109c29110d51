package dev.linnet.engine.longrun;

import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

/**
 * One long stream through the engine, checked against the float64 reference ({@link Reference64Stream}).
 *
 * <p>The stream is {@code --tokens} pseudo-random token ids ({@link #token}: a hash of seed and position, so any
 * stretch of it can be regenerated alone), fed in chunks of {@code --chunk}. After every chunk the engine's
 * surprisal, embedding and whole state are checked for NaN and infinity and the largest absolute entry and
 * Frobenius norm of each lightning state and softmax ring are folded into running maxima. At each of
 * {@code --checkpoints} (chunks are cut to end there) it prints those norms and the drift against float64: the
 * logits of the last 256 tokens, the final hidden state, each lightning state (relative to its largest entry
 * where that exceeds 1) and the rings.
 *
 * <p>The float64 side: with {@code --full-reference} it runs the whole stream from token 0 beside the engine
 * (about 10^3 tokens/s: for up to 10^6 or so). Otherwise, for a checkpoint at C it runs from a zero state over
 * tokens [C - W, C) at their absolute positions, W = {@code --reference-window}. That is the full run to within
 * float64 rounding, because the model forgets: a lightning state decays by exp(-slope) a token, the slowest
 * slope of the tiny model being 5.6e-4 (exp(-56) over W = 10^5 tokens), and the softmax layers see 48 tokens.
 * {@code --check-window} (with {@code --full-reference}) also runs the windowed reference at each checkpoint
 * and prints how far it is from the full one, which shows it.
 *
 * <p>{@code --start P} meets the stream at position P with an empty state, which by the same forgetting is what
 * any stream looks like at P + W: {@code --start 99900000} gives the drift at 10^8 for the cost of 10^5 tokens
 * (the engine's tokens/s then are those of the last 10^5 tokens only).
 *
 * <p>{@code --state-dir} saves the engine's state (and the running maxima) there every 10 minutes and at each
 * checkpoint, and a rerun with the same arguments resumes from it.
 *
 * <p>Not a test: a main on the test class path, run by hand (engine/README.md, "Long runs", gives the command);
 * {@code LongStreamTest} is its short form in every build.
 */
public final class LongRun {
    static final int LOGIT_ROWS = 256;

    private final Path modelDir;
    private final Model model;
    private final long seed;
    private final int vocab;
    private final PrintStream out;

    /** Running maxima over every chunk of the run, per lightning layer and per softmax layer. */
    final Norms norms;

    long nonFinite;
    long positionsChecked;
    double engineSeconds;
    long engineTokens;

    LongRun(Path modelDir, Model model, long seed, PrintStream out) {
        this.modelDir = modelDir;
        this.model = model;
        this.seed = seed;
        this.vocab = model.config().vocabSize();
        this.out = out;
        StreamState probe = model.newState();
        this.norms = new Norms(probe.linearLayers(), probe.windowLayers());
    }

    /** Token id at absolute position p of the stream of this seed: SplitMix64 of seed and position. */
    static int token(long seed, long p, int vocab) {
        long z = seed * 0x9E3779B97F4A7C15L + (p + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int) Long.remainderUnsigned(z, vocab);
    }

    int[] tokens(long from, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = token(seed, from + i, vocab);
        return t;
    }

    /** Largest absolute entries and Frobenius norms, per layer. */
    static final class Norms {
        final double[] linearMax, linearFro, keyMax, keyFro, valueMax, valueFro;

        Norms(int linear, int window) {
            linearMax = new double[linear];
            linearFro = new double[linear];
            keyMax = new double[window];
            keyFro = new double[window];
            valueMax = new double[window];
            valueFro = new double[window];
        }

        static Norms of(StreamState s) {
            Norms n = new Norms(s.linearLayers(), s.windowLayers());
            for (int i = 0; i < s.linearLayers(); i++) {
                n.linearMax[i] = maxAbs(s.linear(i));
                n.linearFro[i] = frobenius(s.linear(i));
            }
            for (int i = 0; i < s.windowLayers(); i++) {
                n.keyMax[i] = maxAbs(s.keys(i));
                n.keyFro[i] = frobenius(s.keys(i));
                n.valueMax[i] = maxAbs(s.values(i));
                n.valueFro[i] = frobenius(s.values(i));
            }
            return n;
        }

        void foldMax(Norms o) {
            for (int i = 0; i < linearMax.length; i++) {
                linearMax[i] = Math.max(linearMax[i], o.linearMax[i]);
                linearFro[i] = Math.max(linearFro[i], o.linearFro[i]);
            }
            for (int i = 0; i < keyMax.length; i++) {
                keyMax[i] = Math.max(keyMax[i], o.keyMax[i]);
                keyFro[i] = Math.max(keyFro[i], o.keyFro[i]);
                valueMax[i] = Math.max(valueMax[i], o.valueMax[i]);
                valueFro[i] = Math.max(valueFro[i], o.valueFro[i]);
            }
        }

        double[][] all() {
            return new double[][] {linearMax, linearFro, keyMax, keyFro, valueMax, valueFro};
        }
    }

    /** What one checkpoint found. */
    record Report(
            long tokens,
            long nonFinite,
            double engineTokensPerSecond,
            Norms now,
            Norms runningMax,
            long referenceFrom,
            double referenceTokensPerSecond,
            double logitError,
            double hiddenError,
            double stateError,
            double ringError,
            double meanSurprisal,
            double windowVsFull) {}

    /** Feeds the engine from state.tokensSeen() to {@code end}, checking and measuring every chunk. */
    ChunkResult feed(StreamState st, long end, int chunk, Reference64Stream full, double[][] fullLogits) {
        ChunkResult last = null;
        while (st.tokensSeen() < end) {
            long pos = st.tokensSeen();
            int n = (int) Math.min(chunk, end - pos);
            int[] toks = tokens(pos, n);
            boolean wantLogits = pos + n == end;
            long t0 = System.nanoTime();
            ChunkResult r = model.forward(st, toks, wantLogits ? ForwardOptions.WITH_LOGITS : ForwardOptions.DEFAULT);
            engineSeconds += (System.nanoTime() - t0) / 1e9;
            engineTokens += n;
            for (int i = pos == 0 ? 1 : 0; i < n; i++) if (!Float.isFinite(r.surprisal()[i])) nonFinite++;
            nonFinite += countNonFinite(r.embedding());
            for (int i = 0; i < st.linearLayers(); i++) nonFinite += countNonFinite(st.linear(i));
            for (int i = 0; i < st.windowLayers(); i++) {
                nonFinite += countNonFinite(st.keys(i)) + countNonFinite(st.values(i));
            }
            positionsChecked += n;
            norms.foldMax(Norms.of(st));
            if (full != null) {
                for (int i = 0; i < n; i++) {
                    full.step(toks[i]);
                    int row = i - (n - fullLogits.length);
                    if (wantLogits && row >= 0) fullLogits[row] = full.nextLogits();
                }
            }
            last = r;
            progress(st.tokensSeen());
        }
        return last;
    }

    private long lastProgressNanos = System.nanoTime();
    private long lastSaveNanos = System.nanoTime();
    Runnable saver = () -> {};

    private void progress(long pos) {
        long now = System.nanoTime();
        if (now - lastProgressNanos > 60e9) {
            lastProgressNanos = now;
            out.printf(
                    Locale.ROOT,
                    "  at %d tokens: engine %.0f tokens/s, non-finite %d, running max |S| %s%n",
                    pos,
                    engineTokens / engineSeconds,
                    nonFinite,
                    fmt(norms.linearMax));
        }
        if (now - lastSaveNanos > 600e9) {
            lastSaveNanos = now;
            saver.run();
        }
    }

    /** Runs the float64 reference over [from, end) and returns its logits for the last {@code rows} tokens. */
    double[][] reference(Reference64Stream ref, long end, int rows) {
        double[][] logits = new double[rows][];
        while (ref.position() < end) {
            long p = ref.position();
            ref.step(token(seed, p, vocab));
            int row = (int) (p - (end - rows));
            if (row >= 0) logits[row] = ref.nextLogits();
        }
        return logits;
    }

    Report checkpoint(
            StreamState st,
            ChunkResult last,
            Reference64Stream full,
            double[][] fullLogits,
            long window,
            boolean checkWindow)
            throws IOException {
        long end = st.tokensSeen();
        int rows = Math.min(LOGIT_ROWS, last.tokens());
        Reference64Stream ref = full;
        double[][] refLogits = fullLogits;
        long from = 0;
        double refRate = Double.NaN;
        double windowVsFull = Double.NaN;
        if (full == null || checkWindow) {
            from = Math.max(0, end - window);
            Reference64Stream w = new Reference64Stream(modelDir, from);
            long t0 = System.nanoTime();
            double[][] wl = reference(w, end, rows);
            refRate = (end - from) / ((System.nanoTime() - t0) / 1e9);
            if (full == null) {
                ref = w;
                refLogits = wl;
            } else {
                windowVsFull = Math.max(maxDiff(wl, fullLogits), stateError(w, full));
            }
        }
        double logitError = 0;
        int v = vocab;
        for (int r = 0; r < rows; r++) {
            int src = (last.tokens() - rows + r) * v;
            for (int i = 0; i < v; i++) {
                logitError = Math.max(logitError, Math.abs(last.logits()[src + i] - refLogits[r][i]));
            }
        }
        double hiddenError = 0;
        for (int i = 0; i < st.lastHidden().length; i++) {
            hiddenError = Math.max(hiddenError, Math.abs(st.lastHidden()[i] - ref.lastHidden()[i]));
        }
        double stateError = 0;
        for (int l = 0; l < st.linearLayers(); l++) {
            stateError = Math.max(stateError, scaledError(st.linear(l), ref.linear(l)));
        }
        double ringError = 0;
        for (int l = 0; l < st.windowLayers(); l++) {
            ringError = Math.max(ringError, maxDiff(st.keys(l), ref.keys(l)));
            ringError = Math.max(ringError, maxDiff(st.values(l), ref.values(l)));
        }
        double surprisal = 0;
        int counted = 0;
        for (int i = 0; i < last.tokens(); i++) {
            if (Float.isFinite(last.surprisal()[i])) {
                surprisal += last.surprisal()[i];
                counted++;
            }
        }
        Norms running = Norms.of(st);
        running.foldMax(norms);
        return new Report(
                end,
                nonFinite,
                engineTokens / engineSeconds,
                Norms.of(st),
                running,
                from,
                refRate,
                logitError,
                hiddenError,
                stateError,
                ringError,
                surprisal / counted,
                windowVsFull);
    }

    /** Largest difference between two float64 runs' states (lightning scaled as in {@link #scaledError}). */
    private static double stateError(Reference64Stream a, Reference64Stream b) {
        double e = maxDiff(a.lastHidden(), b.lastHidden());
        for (int l = 0; l < a.linearLayers(); l++) {
            e = Math.max(e, maxDiff(a.linear(l), b.linear(l)) / Math.max(1, maxAbs(b.linear(l))));
        }
        return e;
    }

    /** max |a - b| / max(1, max |b|): a lightning state is a sum that grows where a head decays slowly. */
    static double scaledError(float[] a, double[] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
        return e / Math.max(1, maxAbs(b));
    }

    static double maxDiff(float[] a, double[] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
        return e;
    }

    static double maxDiff(double[] a, double[] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
        return e;
    }

    static double maxDiff(double[][] a, double[][] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) e = Math.max(e, maxDiff(a[i], b[i]));
        return e;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    static double frobenius(float[] a) {
        double s = 0;
        for (float x : a) s += (double) x * x;
        return Math.sqrt(s);
    }

    static long countNonFinite(float[] a) {
        long n = 0;
        for (float x : a) if (!Float.isFinite(x)) n++;
        return n;
    }

    static String fmt(double[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) b.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3g", a[i]));
        return b.append(']').toString();
    }

    void print(Report r) {
        out.printf(
                Locale.ROOT,
                "checkpoint %d tokens: non-finite %d (of every surprisal, embedding and state entry of every chunk),"
                        + " engine %.0f tokens/s, mean surprisal of the last chunk %.3f nats%n",
                r.tokens(),
                r.nonFinite(),
                r.engineTokensPerSecond(),
                r.meanSurprisal());
        out.printf(
                Locale.ROOT,
                "  lightning state, per layer: max |S| %s, Frobenius %s%n",
                fmt(r.now().linearMax),
                fmt(r.now().linearFro));
        out.printf(
                Locale.ROOT,
                "  ... largest over the run so far: max |S| %s, Frobenius %s%n",
                fmt(r.runningMax().linearMax),
                fmt(r.runningMax().linearFro));
        out.printf(
                Locale.ROOT,
                "  softmax ring, per layer: max |K| %s (run %s), |K|_F %s, max |V| %s (run %s), |V|_F %s%n",
                fmt(r.now().keyMax),
                fmt(r.runningMax().keyMax),
                fmt(r.now().keyFro),
                fmt(r.now().valueMax),
                fmt(r.runningMax().valueMax),
                fmt(r.now().valueFro));
        out.printf(
                Locale.ROOT,
                "  drift against float64 (reference from token %d%s): logits max abs %.3e (last %d tokens),"
                        + " hidden max abs %.3e, lightning state max scaled %.3e, ring max abs %.3e%n",
                r.referenceFrom(),
                Double.isNaN(r.referenceTokensPerSecond())
                        ? ", the full run"
                        : String.format(Locale.ROOT, ", %.0f tokens/s", r.referenceTokensPerSecond()),
                r.logitError(),
                LOGIT_ROWS,
                r.hiddenError(),
                r.stateError(),
                r.ringError());
        if (!Double.isNaN(r.windowVsFull())) {
            out.printf(
                    Locale.ROOT,
                    "  windowed float64 reference against the full float64 run: max difference %.3e%n",
                    r.windowVsFull());
        }
        out.flush();
    }

    /** Saves the state and the run's counters so that a rerun resumes. */
    void save(Path dir, StreamState st) {
        try {
            Files.createDirectories(dir);
            StateCodec codec = model.stateCodec(StatePrecision.FLOAT32);
            Path tmp = dir.resolve("state.bin.tmp");
            Files.write(tmp, codec.encode(st));
            Properties p = new Properties();
            p.setProperty("seed", Long.toString(seed));
            p.setProperty("nonFinite", Long.toString(nonFinite));
            p.setProperty("engineSeconds", Double.toString(engineSeconds));
            p.setProperty("engineTokens", Long.toString(engineTokens));
            double[][] all = norms.all();
            for (int k = 0; k < all.length; k++) {
                for (int i = 0; i < all[k].length; i++)
                    p.setProperty("norm." + k + "." + i, Double.toString(all[k][i]));
            }
            Path ptmp = dir.resolve("run.properties.tmp");
            try (var w = Files.newBufferedWriter(ptmp)) {
                p.store(w, "long run at " + st.tokensSeen() + " tokens");
            }
            // the state first, then the counters that name it: a crash between leaves the older pair readable
            Files.move(tmp, dir.resolve("state.bin"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(ptmp, dir.resolve("run.properties"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            out.println("  could not save the state: " + e);
        }
    }

    /** The saved state, or a fresh one; restores the counters. */
    StreamState resume(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir.resolve("state.bin"))) return model.newState();
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(dir.resolve("run.properties"))) {
            p.load(r);
        }
        if (Long.parseLong(p.getProperty("seed")) != seed) {
            throw new IllegalArgumentException("the saved run in " + dir + " has another seed");
        }
        StreamState st = model.stateCodec(StatePrecision.FLOAT32).decode(Files.readAllBytes(dir.resolve("state.bin")));
        nonFinite = Long.parseLong(p.getProperty("nonFinite"));
        engineSeconds = Double.parseDouble(p.getProperty("engineSeconds"));
        engineTokens = Long.parseLong(p.getProperty("engineTokens"));
        double[][] all = norms.all();
        for (int k = 0; k < all.length; k++) {
            for (int i = 0; i < all[k].length; i++)
                all[k][i] = Double.parseDouble(p.getProperty("norm." + k + "." + i));
        }
        out.printf(Locale.ROOT, "resumed at %d tokens from %s%n", st.tokensSeen(), dir);
        return st;
    }

    static long parseCount(String s) {
        s = s.trim().toLowerCase(Locale.ROOT);
        if (s.contains("e")) return (long) Double.parseDouble(s);
        return Long.parseLong(s.replace("_", ""));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("linnet.golden.dir", "../shared/golden"), "minimax-tiny-hybrid");
        long tokens = 100_000_000L;
        int chunk = 4096;
        long seed = 1;
        long window = 100_000;
        long start = 0;
        boolean fullReference = false, checkWindow = false;
        Path stateDir = null;
        TreeSet<Long> checkpoints = new TreeSet<>(List.of(10_000L, 1_000_000L, 100_000_000L));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--model" -> dir = Path.of(args[++i]);
                case "--tokens" -> tokens = parseCount(args[++i]);
                case "--chunk" -> chunk = (int) parseCount(args[++i]);
                case "--seed" -> seed = parseCount(args[++i]);
                case "--reference-window" -> window = parseCount(args[++i]);
                case "--start" -> start = parseCount(args[++i]);
                case "--full-reference" -> fullReference = true;
                case "--check-window" -> checkWindow = true;
                case "--state-dir" -> stateDir = Path.of(args[++i]);
                case "--checkpoints" -> {
                    checkpoints.clear();
                    for (String c : args[++i].split(",")) checkpoints.add(parseCount(c));
                }
                case "--help" -> {
                    System.out.println("usage: LongRun [--model DIR] [--tokens 1e8] [--chunk 4096] [--seed 1]"
                            + " [--checkpoints 1e4,1e6,1e8] [--reference-window 1e5 | --full-reference [--check-window]]"
                            + " [--start P] [--state-dir DIR]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + a + " (--help lists them)");
                    System.exit(2);
                }
            }
        }
        final long total = tokens;
        checkpoints.removeIf(c -> c > total || c <= 0);
        checkpoints.add(tokens);
        if (fullReference && (stateDir != null || start > 0)) {
            System.err.println("--full-reference runs from token 0: leave out --state-dir and --start");
            System.exit(2);
        }
        Model model = Model.load(dir);
        LongRun run = new LongRun(dir, model, seed, System.out);
        System.out.printf(
                Locale.ROOT,
                "long run: %s, %d tokens (seed %d) in chunks of %d, checkpoints %s, kernels %s, java %s, float64 %s%n",
                dir,
                tokens,
                seed,
                chunk,
                checkpoints,
                model.kernels().name(),
                System.getProperty("java.version"),
                fullReference
                        ? "from token 0" + (checkWindow ? " and windowed (" + window + ")" : "")
                        : "over the last " + window + " tokens before each checkpoint");
        StateBounds bounds = StateBounds.of(dir);
        System.out.printf(
                Locale.ROOT,
                "bounds for any stream (StateBounds): lightning max |S| per layer %s, ring max |K| %s, max |V| %s%n",
                fmt(bounds.linear()),
                fmt(bounds.keys()),
                fmt(bounds.values()));
        StreamState st = run.resume(stateDir);
        if (start > 0 && st.tokensSeen() == 0) {
            // a stream met at position P: its state holds what the tokens before P left, here nothing (see above)
            st.setTokensSeen(start);
            System.out.printf(Locale.ROOT, "starting at position %d with an empty state%n", start);
        }
        Path sd = stateDir;
        run.saver = () -> {
            if (sd != null) run.save(sd, st);
        };
        Reference64Stream full = fullReference ? new Reference64Stream(dir, 0) : null;
        List<Report> reports = new ArrayList<>();
        long fullStart = System.nanoTime();
        for (long c : checkpoints) {
            if (c <= st.tokensSeen()) continue;
            double[][] fullLogits = new double[(int) Math.min(LOGIT_ROWS, Math.min(chunk, c - st.tokensSeen()))][];
            ChunkResult last = run.feed(st, c, chunk, full, fullLogits);
            Report r = run.checkpoint(st, last, full, fullLogits, window, checkWindow);
            if (full != null) {
                System.out.printf(
                        Locale.ROOT,
                        "  engine and float64 together: %.0f tokens/s%n",
                        c / ((System.nanoTime() - fullStart) / 1e9));
            }
            run.print(r);
            reports.add(r);
            run.saver.run();
        }
        System.out.println("| tokens | non-finite | engine tokens/s | max abs logit drift | max scaled state drift"
                + " | largest max abs lightning state in the run (layer) | largest ring max abs |K|, |V| |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Report r : reports) {
            double[] lm = r.runningMax().linearMax;
            int arg = 0;
            for (int i = 1; i < lm.length; i++) if (lm[i] > lm[arg]) arg = i;
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %d | %.0f | %.2e | %.2e | %.3g (%d) | %.3g, %.3g |%n",
                    r.tokens(),
                    r.nonFinite(),
                    r.engineTokensPerSecond(),
                    r.logitError(),
                    r.stateError(),
                    lm[arg],
                    arg,
                    Arrays.stream(r.runningMax().keyMax).max().orElse(0),
                    Arrays.stream(r.runningMax().valueMax).max().orElse(0));
        }
        if (run.nonFinite > 0) System.exit(1);
    }
}
