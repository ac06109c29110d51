package dev.linnet.flink.bench;

import dev.linnet.engine.state.StatePrecision;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the operator benchmark runs, from {@code -Dlinnet.bench.*} system properties (defaults in brackets):
 * model [the bundled default model, else the tiny golden one], records [1500], keys [48], min-tokens [8],
 * max-tokens [48] (record lengths, uniform), parallelism [2], checkpoint-ms [2000], backend [hashmap],
 * batch-tokens [4096], precision [FLOAT32], seed [1], rounds [2] (bare engine and operator alternate).
 */
record BenchSettings(
        String model,
        int records,
        int keys,
        int minTokens,
        int maxTokens,
        int parallelism,
        long checkpointMillis,
        String backend,
        int batchTokens,
        StatePrecision precision,
        long seed,
        int rounds)
        implements java.io.Serializable {

    static BenchSettings fromSystemProperties() {
        BenchSettings s = new BenchSettings(
                System.getProperty("linnet.bench.model"),
                intProperty("records", 1500),
                intProperty("keys", 48),
                intProperty("min-tokens", 8),
                intProperty("max-tokens", 48),
                intProperty("parallelism", 2),
                intProperty("checkpoint-ms", 2000),
                System.getProperty("linnet.bench.backend", "hashmap"),
                intProperty("batch-tokens", 4096),
                StatePrecision.valueOf(System.getProperty("linnet.bench.precision", "FLOAT32")),
                intProperty("seed", 1),
                intProperty("rounds", 2));
        if (s.minTokens < 1
                || s.maxTokens < s.minTokens
                || s.records < 10
                || s.keys < 1
                || s.parallelism < 1
                || s.rounds < 1) {
            throw new IllegalArgumentException(
                    "linnet.bench.*: need records >= 10, keys >= 1, 1 <= min-tokens <= max-tokens, "
                            + "parallelism >= 1, rounds >= 1; got " + s);
        }
        if (s.model != null && !Files.isRegularFile(Path.of(s.model, "config.json"))) {
            throw new IllegalArgumentException("linnet.bench.model: no config.json in " + s.model);
        }
        return s;
    }

    private static int intProperty(String name, int defaultValue) {
        String v = System.getProperty("linnet.bench." + name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("linnet.bench." + name + " must be a whole number, got '" + v + "'", e);
        }
    }
}
