package dev.linnet.flink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linnet.engine.model.DefaultModel;
import dev.linnet.engine.model.LoadOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.flink.operator.LinnetOptions;
import dev.linnet.flink.operator.ScorerInput;
import dev.linnet.flink.testing.GoldenModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The operator benchmark: records/s and tokens/s through the keyed scorer in a Flink job
 * (parallelism 2, exactly-once checkpoints) against the bare engine on the same records; the target is at
 * least 80 % of the bare engine. Not part of the default test run (the class name does not end in Test):
 *
 * <pre>
 * mvn -B -ntp -pl flink-operator -am test -Dtest=OperatorThroughputBench -Dsurefire.failIfNoSpecifiedTests=false
 *     [-Dlinnet.bench.records=1500 -Dlinnet.bench.backend=rocksdb ...]   (see BenchSettings)
 * </pre>
 *
 * It prints a table and writes it to {@code target/linnet-bench/operator-throughput.txt}. The bare engine runs
 * first (after a warm-up pass), so the JIT has compiled the kernels before either is timed; then the two
 * alternate for {@code linnet.bench.rounds} rounds. Throughput is given per wall-clock second and per
 * CPU-second of the process (the fair measure when other work shares the machine).
 */
class OperatorThroughputBench {

    @Test
    void operatorThroughputAgainstTheBareEngine() throws Exception {
        BenchSettings s = BenchSettings.fromSystemProperties();
        Path modelDir = modelDirectory(s);
        Model model =
                Model.load(modelDir, LoadOptions.DEFAULT.withWindowBound(LinnetOptions.WINDOW_BOUND.defaultValue()));
        int vocab = model.config().vocabSize();
        List<ScorerInput> records = BenchRecords.all(s, vocab);
        long tokens = records.stream().mapToLong(r -> r.tokens.length).sum();

        BareEngineRun.run(model, records.subList(0, records.size() / 5), s.batchTokens()); // warm-up
        StringBuilder rows = new StringBuilder();
        double[] wallRatios = new double[s.rounds()];
        double[] cpuRatios = new double[s.rounds()];
        long checkpoints = 0;
        // bare engine and operator alternate, so load from elsewhere on the machine falls on both alike
        for (int round = 0; round < s.rounds(); round++) {
            long cpu0 = ProcessCpu.nanos();
            long oneNanos = BareEngineRun.run(model, records, s.batchTokens());
            long oneCpu = ProcessCpu.nanos() - cpu0;
            cpu0 = ProcessCpu.nanos();
            long manyNanos = BareEngineRun.run(model, records, s.batchTokens(), s.parallelism());
            long manyCpu = ProcessCpu.nanos() - cpu0;
            OperatorRun.Result op = OperatorRun.run(modelDir, s, vocab);
            assertEquals(records.size(), op.records(), "every record should be scored once");
            checkpoints += op.checkpoints();
            // the baseline is the faster bare-engine run: one caller, or as many callers as the operator has instances
            long bareNanos = Math.min(oneNanos, manyNanos);
            long bareCpu = bareNanos == oneNanos ? oneCpu : manyCpu;
            double opTokens = op.timedTokens() / (op.nanos() / 1e9);
            double opTokensPerCpu = op.timedTokens() / (op.cpuNanos() / 1e9);
            wallRatios[round] = opTokens / (tokens / (bareNanos / 1e9));
            cpuRatios[round] = opTokensPerCpu / (tokens / (bareCpu / 1e9));
            rows.append(bareRow(round, "bare engine, 1 caller", records.size(), tokens, oneNanos, oneCpu));
            rows.append(bareRow(
                    round, "bare engine, " + s.parallelism() + " callers", records.size(), tokens, manyNanos, manyCpu));
            rows.append(String.format(
                    Locale.ROOT,
                    "| %d | operator | %.1f | %.0f | %.0f | %.0f %% wall, %.0f %% CPU |%n",
                    round + 1,
                    op.timedRecords() / (op.nanos() / 1e9),
                    opTokens,
                    opTokensPerCpu,
                    100 * wallRatios[round],
                    100 * cpuRatios[round]));
        }
        String report = String.format(
                Locale.ROOT,
                "Linnet operator benchmark%n"
                        + "model: %s (hidden %d, vocab %d, window %d)%n"
                        + "records: %d of %d-%d tokens (%d tokens) over %d keys; batch %d tokens; state %s on %s; "
                        + "parallelism %d; checkpoints every %d ms (%d completed)%n"
                        + "cores: %d, java %s; operator timed over the last 90 %% of its records%n%n"
                        + "| round | path | records/s | tokens/s | tokens per CPU-second | operator / faster bare engine run |%n"
                        + "| --- | --- | --- | --- | --- | --- |%n%s%n"
                        + "median operator / bare engine: %.0f %% (wall clock), %.0f %% (per CPU-second)%n",
                modelDir,
                model.config().hiddenSize(),
                vocab,
                model.window(),
                records.size(),
                s.minTokens(),
                s.maxTokens(),
                tokens,
                s.keys(),
                s.batchTokens(),
                s.precision(),
                s.backend(),
                s.parallelism(),
                s.checkpointMillis(),
                checkpoints,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                rows,
                100 * median(wallRatios),
                100 * median(cpuRatios));
        System.out.println(report);
        Path out = Path.of("target", "linnet-bench");
        Files.createDirectories(out);
        Files.writeString(out.resolve("operator-throughput.txt"), report);
    }

    private static String bareRow(int round, String path, int records, long tokens, long nanos, long cpuNanos) {
        return String.format(
                Locale.ROOT,
                "| %d | %s | %.1f | %.0f | %.0f | |%n",
                round + 1,
                path,
                records / (nanos / 1e9),
                tokens / (nanos / 1e9),
                tokens / (cpuNanos / 1e9));
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** -Dlinnet.bench.model, else the bundled default model, else the tiny golden model (said in the report). */
    private static Path modelDirectory(BenchSettings s) throws Exception {
        if (s.model() != null) {
            return Path.of(s.model());
        }
        ClassLoader loader = OperatorThroughputBench.class.getClassLoader();
        if (DefaultModel.present(loader)) {
            return DefaultModel.extract(loader);
        }
        System.out.println("[bench] no bundled default model: running the tiny golden model");
        return GoldenModels.tinyDir();
    }
}
