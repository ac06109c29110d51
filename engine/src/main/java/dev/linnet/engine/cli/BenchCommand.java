package dev.linnet.engine.cli;

import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.kernels.PeakFlops;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code bench}: speed of the engine on a model of realistic size with random weights (by default the
 * engine's benchmark model: hidden 512, 7 lightning + 1 softmax layer, 8 heads of 64, 4 KV heads, 4 experts
 * top-2 of 1024, vocab 8192). First the machine's FP32 FMA peak, measured ({@link PeakFlops}); then a
 * deterministic warm-up; then prefill tokens/s, GFLOP/s and share of that peak at several chunk lengths, in
 * {@code --runs} alternating runs with their spread; then the per-token cost after growing amounts of history
 * (fed for real, in chunks of 4096).
 * FLOPs are counted analytically: 2 per multiply-add of every matrix product and attention inner product
 * that the chunk needs (active experts only, lm_head over the scored rows).
 */
public final class BenchCommand implements Command {
    private static final Map<String, String> OPTIONS = Map.of(
            "--chunks",
            "N,N,...",
            "--history",
            "N,N,...",
            "--seconds",
            "S",
            "--runs",
            "N",
            "--window",
            "W",
            "--weights",
            "f32|bf16");

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "prefill tokens/s and GFLOP/s, and per-token cost at depth, on a random-weight model";
    }

    /** The engine's benchmark model (a realistic size for the targets its speed is measured against). */
    public static ModelConfig benchmarkConfig(int window) {
        List<LayerType> types = new ArrayList<>(Collections.nCopies(7, LayerType.LINEAR));
        types.add(LayerType.SOFTMAX);
        return new ModelConfig(
                8192, 512, 1024, 8, 8, 4, 64, types, 256, window, 1e-5, 10000.0, 64, 4, 2, false, 1, 1, 1, 1, 1, 1,
                null);
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        List<Integer> chunks;
        List<Long> depths;
        double seconds;
        int runs;
        int window;
        boolean peak;
        LoadOptions.WeightPrecision weights;
        try {
            CommandArgs a = CommandArgs.parse(name(), args, OPTIONS, Set.of("--no-peak"));
            if (a.help()) {
                out.println("usage: bench [--chunks 1,64,512,4096] [--runs 1] [--seconds 3] [--history 1000,65536 | 0]"
                        + " [--window 1024] [--weights f32|bf16] [--no-peak]");
                out.println(
                        "  --runs N: N timed runs of every chunk length, alternating (run 1 of each length, then run 2, ...),");
                out.println("            each on a fresh stream fed the same tokens; prints every run and the spread.");
                out.println(
                        "  Just before and after each run a reference product (a 1536 x 512 float32 projection of 516");
                out.println("  tokens) is timed; the run's share of their mean is the engine's part, apart from the");
                out.println("  machine's speed during it.");
                out.println("  --seconds: length of one timed run; --history 0 skips the per-token cost at depth.");
                out.println(
                        "Threads: -Dlinnet.threads=N (default: all cores). Run with --add-modules jdk.incubator.vector;");
                out.println(
                        "steadiest with -XX:+AlwaysPreTouch -Xms2g -Xmx2g (heap committed and touched before timing).");
                return 0;
            }
            chunks = a.longs("--chunks", List.of(1L, 64L, 512L, 4096L), 1, 1 << 20).stream()
                    .map(Long::intValue)
                    .toList();
            depths = a.longs("--history", List.of(1_000L, 65_536L), 0, Long.MAX_VALUE).stream()
                    .filter(d -> d > 0)
                    .toList();
            seconds = a.number("--seconds", 3, 0);
            runs = a.integer("--runs", 1, 1);
            window = a.integer("--window", 1024, 1);
            weights = a.choice("--weights", LoadOptions.WeightPrecision.class, LoadOptions.WeightPrecision.F32);
            peak = !a.flag("--no-peak");
        } catch (CommandArgs.UsageException e) {
            err.println(e.getMessage());
            return 2;
        }
        int threads = Integer.parseInt(System.getProperty(
                        "linnet.threads", String.valueOf(Runtime.getRuntime().availableProcessors()))
                .trim());
        double peakTotal = Double.NaN;
        if (peak) {
            double one = PeakFlops.measure(1, 3, 200);
            double all = threads == 1 ? one : PeakFlops.measure(threads, 3, 200);
            // another process on one of the cores lowers the many-thread figure, not the machine's peak: the shares
            // below use the larger of it and threads x the one-thread figure
            peakTotal = Math.max(all, threads * one);
            out.printf(
                    Locale.ROOT,
                    "peak: FP32 FMA, register-only 512-bit loop (12 accumulators, best of 3 x 0.2 s):"
                            + " %.1f GFLOP/s on 1 thread, %.1f GFLOP/s on %d threads; shares below are of %.1f (%.1f per core)%n",
                    one,
                    all,
                    threads,
                    peakTotal,
                    peakTotal / threads);
            if (all < 0.9 * threads * one) {
                out.printf(
                        Locale.ROOT,
                        "peak: WARNING %d threads reached only %.0f %% of %d x 1 thread: other load on this"
                                + " machine; timings below will suffer from it too (see 'others' on each run)%n",
                        threads,
                        100 * all / (threads * one),
                        threads);
            }
        }
        ModelConfig cfg = benchmarkConfig(window);
        long t0 = System.nanoTime();
        Model model = Model.random(cfg, 1, LoadOptions.DEFAULT.withWeights(weights));
        out.printf(
                Locale.ROOT,
                "model: hidden %d, layers %s, heads %d x %d, kv heads %d, experts %d top-%d of %d, vocab %d, window %d, weights %s (built in %.1f s)%n",
                cfg.hiddenSize(),
                cfg.layerTypes(),
                cfg.numAttentionHeads(),
                cfg.headDim(),
                cfg.numKeyValueHeads(),
                cfg.numLocalExperts(),
                cfg.numExpertsPerTok(),
                cfg.intermediateSize(),
                cfg.vocabSize(),
                window,
                weights,
                (System.nanoTime() - t0) / 1e9);
        out.printf(
                Locale.ROOT,
                "kernels: %s, threads: %d, java %s%n",
                model.kernels().name(),
                threads,
                System.getProperty("java.version"));
        out.printf(
                Locale.ROOT,
                "state: %d bytes float32 / %d bfloat16 once the window is full%n",
                model.stateCodec(StatePrecision.FLOAT32).encodedSize(window),
                model.stateCodec(StatePrecision.BFLOAT16).encodedSize(window));
        out.println(
                "flops: 2 per multiply-add of every matrix product (projections, router, the 2 active experts, lm_head"
                        + " for every scored row) and attention product (lightning: 2 d^2 + min(block, chunk) d per head and token;"
                        + " window: 2 span d per head); the same count for every run. Per token, with the window full:");
        StringBuilder per = new StringBuilder();
        for (int len : chunks) {
            per.append(String.format(
                    Locale.ROOT, "  chunk %d: %.1f MFLOP", len, flops(cfg, window, len, window + len) / len / 1e6));
        }
        out.println(per);

        ReferenceProduct reference = new ReferenceProduct(model.kernels());
        reference.gflops(1.0); // compiled before the warm-up's end, not during the first run
        Warmup w = warmUp(model, chunks);
        out.printf(
                Locale.ROOT,
                "warm-up: %d rounds of every chunk length and of single tokens (%.1f s), JIT compilation %.1f s in all, %d ms in the last round%n",
                w.rounds(),
                w.seconds(),
                w.jitMillis() / 1e3,
                w.lastJitMillis());

        out.printf(
                Locale.ROOT,
                "prefill (%d run%s of %.1f s per chunk length, alternating; each on a fresh stream fed the same tokens;"
                        + " around each, the reference product: a 1536 x 512 float32 projection of 516 tokens timed just"
                        + " before and after it, and the run's GFLOP/s as a share of their mean):%n",
                runs,
                runs == 1 ? "" : "s",
                seconds);
        double[][] rates = new double[chunks.size()][runs];
        double[][] shares = new double[chunks.size()][runs];
        double[][] relative = new double[chunks.size()][runs];
        for (int r = 0; r < runs; r++) {
            for (int c = 0; c < chunks.size(); c++) {
                int len = chunks.get(c);
                // the reference product just before and just after the run: their mean is the machine during it
                double probe = Math.min(0.15, seconds / 8);
                double productBefore = reference.gflops(probe);
                Probe before = Probe.now();
                Result res = measure(model, model.newState(), len, seconds, new SplittableRandom(1000 + len), 0);
                Probe d = Probe.now().minus(before);
                double product = (productBefore + reference.gflops(probe)) / 2;
                rates[c][r] = res.tokensPerSecond();
                shares[c][r] = res.gflops() / peakTotal;
                relative[c][r] = res.gflops() / product;
                out.printf(
                        Locale.ROOT,
                        "  chunk %5d run %2d: %9.1f tokens/s  %7.1f GFLOP/s  %s of peak  (product %5.1f GFLOP/s, %s of it;"
                                + " JIT %d ms, GC %d x %d ms%s%s)%n",
                        len,
                        r + 1,
                        res.tokensPerSecond(),
                        res.gflops(),
                        percent(shares[c][r]),
                        product,
                        percent(relative[c][r]),
                        d.jitMillis(),
                        d.gcCount(),
                        d.gcMillis(),
                        allocation(d, res),
                        d.cpu());
            }
        }
        if (runs > 1) {
            out.println("spread over the runs (tokens/s):");
            for (int c = 0; c < chunks.size(); c++) {
                double[] v = rates[c].clone();
                java.util.Arrays.sort(v);
                double[] sh = shares[c].clone();
                java.util.Arrays.sort(sh);
                double[] rel = relative[c].clone();
                java.util.Arrays.sort(rel);
                out.printf(
                        Locale.ROOT,
                        "  chunk %5d: min %9.1f  median %9.1f  max %9.1f  CV %5.1f %%  median share of peak %s;"
                                + " of the reference product: median %s, CV %4.1f %%%n",
                        chunks.get(c),
                        v[0],
                        median(v),
                        v[v.length - 1],
                        100 * variation(v),
                        percent(median(sh)),
                        percent(median(rel)),
                        100 * variation(rel));
            }
        }
        if (!depths.isEmpty()) {
            out.println("per-token cost after history (history fed in chunks of 4096, then chunks of 1 and 64):");
        }
        SplittableRandom rnd = new SplittableRandom(7);
        for (long depth : depths) {
            StreamState s = model.newState();
            long f0 = System.nanoTime();
            while (s.tokensSeen() < depth) {
                int n = (int) Math.min(4096, depth - s.tokensSeen());
                model.forward(s, tokens(rnd, n, cfg.vocabSize()), ForwardOptions.DEFAULT);
            }
            double feed = (System.nanoTime() - f0) / 1e9;
            Result one = measure(model, s, 1, seconds, rnd, 0.3);
            Result sixtyFour = measure(model, s, 64, seconds, rnd, 0.3);
            out.printf(
                    Locale.ROOT,
                    "  after %8d tokens: %8.1f us/token at chunk 1 (%6.1f tokens/s), %7.1f tokens/s at chunk 64 (history fed at %.0f tokens/s)%n",
                    depth,
                    1e6 / one.tokensPerSecond(),
                    one.tokensPerSecond(),
                    sixtyFour.tokensPerSecond(),
                    depth / feed);
        }
        return 0;
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "  n/a" : String.format(Locale.ROOT, "%4.1f %%", 100 * share);
    }

    /** Coefficient of variation: the sample standard deviation over the mean. */
    private static double variation(double[] v) {
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        double var = 0;
        for (double x : v) var += (x - mean) * (x - mean);
        return Math.sqrt(var / (v.length - 1)) / mean;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Bytes allocated a token in a run: compiled, a forward pass allocates little beyond its results (about 20 KiB
     * a token at one token, 1 KiB at 64 and more for the benchmark model: work arrays are kept per thread); code
     * running in the Vector API's Java fallback (before C2 compiles it, or where C2 gave up) allocates an object for
     * each vector operation, and shows here as hundreds of KiB or more.
     */
    private static double bytesPerToken(Probe d, Result res) {
        double tokens = res.tokensPerSecond() * d.nanos() / 1e9;
        return d.allocatedBytes() < 0 || tokens <= 0 ? -1 : d.allocatedBytes() / tokens;
    }

    /** Allocation a token above which a run is flagged: several times what a compiled pass allocates at one token. */
    private static final double FALLBACK_BYTES_PER_TOKEN = 256 << 10;

    private static String allocation(Probe d, Result res) {
        double b = bytesPerToken(d, res);
        if (b < 0) return "";
        String figure = String.format(Locale.ROOT, ", alloc %.0f KiB a token", b / 1024);
        return b > FALLBACK_BYTES_PER_TOKEN ? figure + " (vector code running in the Java fallback)" : figure;
    }

    record Result(double tokensPerSecond, double gflops) {}

    record Warmup(int rounds, double seconds, long jitMillis, long lastJitMillis) {}

    /**
     * JIT compilation time, GC collections, this process's CPU time, the whole machine's busy CPU time
     * (/proc/stat, Linux only; else -1) and the bytes its threads allocated so far: what a run's differences come
     * from.
     */
    record Probe(
            long jitMillis,
            long gcCount,
            long gcMillis,
            long nanos,
            long cpuNanos,
            long machineBusyNanos,
            long allocatedBytes) {
        static Probe now() {
            var jit = ManagementFactory.getCompilationMXBean();
            long j = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
            long n = 0, t = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                n += Math.max(0, gc.getCollectionCount());
                t += Math.max(0, gc.getCollectionTime());
            }
            long cpu = -1;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                cpu = os.getProcessCpuTime();
            }
            return new Probe(j, n, t, System.nanoTime(), cpu, machineBusy(), allocated());
        }

        /** Bytes the live threads have allocated so far (the kernel helpers included), or -1. */
        private static long allocated() {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()
                    && t.isThreadAllocatedMemoryEnabled()) {
                long sum = 0;
                for (long b : t.getThreadAllocatedBytes(t.getAllThreadIds())) sum += Math.max(0, b);
                return sum;
            }
            return -1;
        }

        /** Busy time of all CPUs (user, nice, system, irq, softirq, steal) from /proc/stat, or -1. */
        private static long machineBusy() {
            try {
                String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
                        .get(0);
                String[] f = line.trim().split("\\s+");
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
                return busy * 10_000_000L; // USER_HZ is 100 on Linux
            } catch (Exception | Error e) {
                return -1;
            }
        }

        Probe minus(Probe o) {
            return new Probe(
                    jitMillis - o.jitMillis,
                    gcCount - o.gcCount,
                    gcMillis - o.gcMillis,
                    nanos - o.nanos,
                    cpuNanos < 0 || o.cpuNanos < 0 ? -1 : cpuNanos - o.cpuNanos,
                    machineBusyNanos < 0 || o.machineBusyNanos < 0 ? -1 : machineBusyNanos - o.machineBusyNanos,
                    allocatedBytes < 0 || o.allocatedBytes < 0 ? -1 : allocatedBytes - o.allocatedBytes);
        }

        /** Cores this process kept busy, and cores the rest of the machine kept busy, over this interval. */
        String cpu() {
            if (cpuNanos < 0) {
                return "";
            }
            String mine = String.format(Locale.ROOT, ", CPU %.2f cores", (double) cpuNanos / nanos);
            return machineBusyNanos < 0
                    ? mine
                    : mine
                            + String.format(
                                    Locale.ROOT,
                                    ", others %.2f",
                                    Math.max(0, (double) (machineBusyNanos - cpuNanos) / nanos));
        }
    }

    /**
     * Compiles the hot paths before anything is timed: rounds of a fixed amount of work at every chunk length, each
     * on a fresh stream: {@code calls} chunks (about 1,024 tokens, at least 2 and at most 256 chunks: at chunk 1
     * enough calls for the once-per-layer methods to reach the optimising compiler), one chunk that fills the
     * softmax window (up to 4,096 tokens), then {@code calls} chunks again (the window's ring now wraps, as in a
     * long timed run).
     * Rounds repeat until one spends under 1 % of its time in the JIT compiler (at least 2, at most 8). Single tokens
     * are always among the lengths warmed up: a method called once a layer or once a chunk reaches the optimising
     * compiler only after thousands of calls, and with long chunks alone that happened 10 to 20 s into the timed
     * runs (hundreds of ms of compilation a run on a 2-core machine, and runs 10-15 % slower until it was done). A
     * warm-up of 0.3 s per chunk length left the amount of compilation to chance and let it run on into the timed
     * runs; one that never wrapped the ring left that path to be compiled (and deoptimised into) during them.
     */
    static Warmup warmUp(Model model, List<Integer> timed) {
        int vocab = model.config().vocabSize();
        List<Integer> chunks = new ArrayList<>(timed);
        if (!chunks.contains(1)) chunks.add(0, 1);
        long start = System.nanoTime();
        Probe first = Probe.now();
        int rounds = 0;
        long last;
        while (true) {
            Probe before = Probe.now();
            long r0 = System.nanoTime();
            for (int len : chunks) {
                StreamState s = model.newState();
                SplittableRandom rnd = new SplittableRandom(len);
                int calls = Math.min(256, Math.max(2, (1024 + len - 1) / len));
                for (int i = 0; i < calls; i++) model.forward(s, tokens(rnd, len, vocab), ForwardOptions.DEFAULT);
                model.forward(s, tokens(rnd, Math.min(model.window(), 4096), vocab), ForwardOptions.DEFAULT);
                for (int i = 0; i < calls; i++) model.forward(s, tokens(rnd, len, vocab), ForwardOptions.DEFAULT);
            }
            rounds++;
            last = Probe.now().minus(before).jitMillis();
            double roundMillis = (System.nanoTime() - r0) / 1e6;
            if (rounds >= 8 || (rounds >= 2 && last < 0.01 * roundMillis)) {
                break;
            }
        }
        return new Warmup(
                rounds,
                (System.nanoTime() - start) / 1e9,
                Probe.now().minus(first).jitMillis(),
                last);
    }

    /**
     * Feeds chunks of len tokens for about `seconds` (after warming up for warmFraction of that); the state
     * advances as it goes.
     */
    static Result measure(
            Model model, StreamState s, int len, double seconds, SplittableRandom rnd, double warmFraction) {
        int vocab = model.config().vocabSize();
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < seconds * warmFraction * 1e9)
            model.forward(s, tokens(rnd, len, vocab), ForwardOptions.DEFAULT);
        long tokens = 0;
        double flops = 0;
        long start = System.nanoTime();
        long now;
        do {
            int[] t = tokens(rnd, len, vocab);
            flops += flops(model.config(), model.window(), len, s.tokensSeen());
            model.forward(s, t, ForwardOptions.DEFAULT);
            tokens += len;
            now = System.nanoTime();
        } while (now - start < seconds * 1e9);
        double secs = (now - start) / 1e9;
        return new Result(tokens / secs, flops / secs / 1e9);
    }

    static int[] tokens(SplittableRandom rnd, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rnd.nextInt(vocab);
        return t;
    }

    /** Floating-point operations (2 per multiply-add) of one chunk of n tokens at position pos. */
    static double flops(ModelConfig c, int window, int n, long pos) {
        double h = c.hiddenSize(), w = c.attentionWidth(), kv = c.kvWidth(), d = c.headDim();
        double macs = 0;
        for (LayerType t : c.layerTypes()) {
            if (t == LayerType.LINEAR) {
                macs += n * (3 * h * w + h * w + w * h);
                // per head and token: q S (d^2) + state update (d^2) + intra-block (about block/2 * d * 2)
                double block = Math.min(c.blockSize(), n);
                macs += n * c.numAttentionHeads() * (2 * d * d + block * d);
            } else {
                macs += n * (2 * h * w + 2 * h * kv);
                for (int i = 0; i < n; i++) {
                    double span = Math.min(window, pos + i + 1);
                    macs += c.numAttentionHeads() * span * d * 2;
                }
            }
            macs += n * (h * c.numLocalExperts() + c.numExpertsPerTok() * 3 * h * c.intermediateSize());
        }
        double scored = pos > 0 ? n : n - 1;
        macs += scored * h * c.vocabSize();
        return 2 * macs;
    }
}
