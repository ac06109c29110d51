package dev.linnet.engine.cli;

import dev.linnet.engine.config.LayerType;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.io.InputStream;
import java.io.PrintStream;
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
 * top-2 of 1024, vocab 8192). Prefill tokens/s and GFLOP/s at several chunk lengths, then the per-token cost
 * after growing amounts of history (fed for real, in chunks of 4096).
 * FLOPs are counted analytically: 2 per multiply-add of every matrix product and attention inner product
 * that the chunk needs (active experts only, lm_head over the scored rows).
 */
public final class BenchCommand implements Command {
    private static final Map<String, String> OPTIONS = Map.of(
            "--chunks", "N,N,...", "--history", "N,N,...", "--seconds", "S", "--window", "W", "--weights", "f32|bf16");

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
                8192, 512, 1024, 8, 8, 4, 64, types, 256, window, 1e-5, 10000.0, 64, 4, 2, false, 1, 1, 1, 1, 1, 1);
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
        List<Integer> chunks;
        List<Long> depths;
        double seconds;
        int window;
        LoadOptions.WeightPrecision weights;
        try {
            CommandArgs a = CommandArgs.parse(name(), args, OPTIONS, Set.of());
            if (a.help()) {
                out.println("usage: bench [--chunks 1,64,512,4096] [--history 1000,65536,1000000] [--seconds 3]"
                        + " [--window 1024] [--weights f32|bf16]");
                out.println(
                        "Threads: -Dlinnet.threads=N (default: all cores). Run with --add-modules jdk.incubator.vector.");
                return 0;
            }
            chunks = a.longs("--chunks", List.of(1L, 64L, 512L, 4096L), 1, 1 << 20).stream()
                    .map(Long::intValue)
                    .toList();
            depths = a.longs("--history", List.of(1_000L, 65_536L), 0, Long.MAX_VALUE);
            seconds = a.number("--seconds", 3, 0);
            window = a.integer("--window", 1024, 1);
            weights = a.choice("--weights", LoadOptions.WeightPrecision.class, LoadOptions.WeightPrecision.F32);
        } catch (CommandArgs.UsageException e) {
            err.println(e.getMessage());
            return 2;
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
                "kernels: %s, threads: %s, java %s%n",
                model.kernels().name(),
                System.getProperty(
                        "linnet.threads", String.valueOf(Runtime.getRuntime().availableProcessors())),
                System.getProperty("java.version"));
        out.printf(
                Locale.ROOT,
                "state: %d bytes float32 / %d bfloat16 once the window is full%n",
                model.stateCodec(StatePrecision.FLOAT32).encodedSize(window),
                model.stateCodec(StatePrecision.BFLOAT16).encodedSize(window));

        SplittableRandom rnd = new SplittableRandom(7);
        out.println("prefill (fresh stream, then continuing it):");
        for (int len : chunks) {
            StreamState s = model.newState();
            Result r = measure(model, s, len, seconds, rnd);
            out.printf(
                    Locale.ROOT, "  chunk %5d: %9.1f tokens/s  %7.1f GFLOP/s%n", len, r.tokensPerSecond(), r.gflops());
        }
        out.println("per-token cost after history (history fed in chunks of 4096, then chunks of 1 and 64):");
        for (long depth : depths) {
            StreamState s = model.newState();
            long f0 = System.nanoTime();
            while (s.tokensSeen() < depth) {
                int n = (int) Math.min(4096, depth - s.tokensSeen());
                model.forward(s, tokens(rnd, n, cfg.vocabSize()), ForwardOptions.DEFAULT);
            }
            double feed = (System.nanoTime() - f0) / 1e9;
            Result one = measure(model, s, 1, seconds, rnd);
            Result sixtyFour = measure(model, s, 64, seconds, rnd);
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

    record Result(double tokensPerSecond, double gflops) {}

    /** Warms up, then feeds chunks of len tokens for about `seconds`; the state advances as it goes. */
    static Result measure(Model model, StreamState s, int len, double seconds, SplittableRandom rnd) {
        int vocab = model.config().vocabSize();
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < seconds * 0.3e9)
            model.forward(s, tokens(rnd, len, vocab), ForwardOptions.DEFAULT);
        long tokens = 0;
        double flops = 0;
        long start = System.nanoTime();
        long now;
        do {
            flops += flops(model.config(), model.window(), len, s.tokensSeen());
            model.forward(s, tokens(rnd, len, vocab), ForwardOptions.DEFAULT);
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
