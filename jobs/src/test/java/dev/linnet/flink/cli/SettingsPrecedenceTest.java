package dev.linnet.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.state.StatePrecision;
import dev.linnet.flink.jobs.LineParseSettings;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.ScorerTuning;
import dev.linnet.flink.jobs.TokenizerSpec;
import dev.linnet.flink.operator.ModelChangePolicy;
import dev.linnet.flink.operator.StateLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Where each setting of a job comes from: a flag given on the command line, else the job's configuration (the
 * cluster's config.yaml, a FlinkDeployment's flinkConfiguration, -D on submission), else the built-in default.
 */
class SettingsPrecedenceTest {

    private static final ModelChoice MODEL =
            new ModelChoice(Path.of("/models/m"), TokenizerSpec.byteLevel(), "test model", false);

    private static final Configuration CONFIG = Configuration.fromMap(Map.ofEntries(
            Map.entry("linnet.state.precision", "BFLOAT16"),
            Map.entry("linnet.state.layout", "PAGED"),
            Map.entry("linnet.cache.max-states", "77"),
            Map.entry("linnet.state.ttl", "7d"),
            Map.entry("linnet.batch.max-tokens", "1000"),
            Map.entry("linnet.batch.max-delay", "5ms"),
            Map.entry("linnet.output.top-k", "9"),
            Map.entry("linnet.model.window-bound", "333"),
            Map.entry("linnet.state.on-model-change", "RESET"),
            Map.entry("linnet.record.max-tokens", "64"),
            Map.entry("linnet.record.max-bytes", "2mb"),
            Map.entry("execution.checkpointing.interval", "42s")));

    private static LogAnomalyCommand parse(String... args) {
        LogAnomalyCommand cmd = new LogAnomalyCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void withoutFlagsTheConfigurationDecides() {
        LogAnomalyCommand cmd = parse();
        ScorerTuning t = cmd.model.tuning(MODEL, CONFIG);
        assertEquals(StatePrecision.BFLOAT16, t.statePrecision());
        assertEquals(StateLayout.PAGED, t.stateLayout());
        assertEquals(77, t.cacheMaxStates());
        assertEquals(Duration.ofDays(7), t.stateTtl());
        assertEquals(1000, t.batchMaxTokens());
        assertEquals(Duration.ofMillis(5), t.batchMaxDelay());
        assertEquals(9, t.topK());
        assertEquals(333, t.windowBound());
        assertEquals(ModelChangePolicy.RESET, t.onModelChange());
        LineParseSettings p = cmd.parse.settings(CONFIG);
        assertEquals(64, p.maxTokens());
        assertEquals(2 << 20, p.maxRecordBytes());
        assertEquals(Duration.ofSeconds(42), cmd.job.checkpointInterval(CONFIG, JobArgs.DEFAULT_CHECKPOINT_INTERVAL));
    }

    @Test
    void flagsGivenOverrideTheConfiguration() {
        LogAnomalyCommand cmd = parse(
                "--state-precision", "float32",
                "--state-layout", "whole",
                "--cache-max-states", "5",
                "--state-ttl", "1h",
                "--batch-max-tokens", "4096",
                "--batch-max-delay", "50ms",
                "--top-tokens", "3",
                "--max-tokens", "256",
                "--max-record-bytes", "1mb",
                "--checkpoint-interval", "10s");
        ScorerTuning t = cmd.model.tuning(MODEL, CONFIG);
        // each flag names its option's default value: given, it still wins over the configuration
        assertEquals(StatePrecision.FLOAT32, t.statePrecision());
        assertEquals(StateLayout.WHOLE, t.stateLayout());
        assertEquals(5, t.cacheMaxStates());
        assertEquals(Duration.ofHours(1), t.stateTtl());
        assertEquals(4096, t.batchMaxTokens());
        assertEquals(Duration.ofMillis(50), t.batchMaxDelay());
        assertEquals(3, t.topK());
        // no flag for these two: the configuration's
        assertEquals(333, t.windowBound());
        assertEquals(ModelChangePolicy.RESET, t.onModelChange());
        LineParseSettings p = cmd.parse.settings(CONFIG);
        assertEquals(256, p.maxTokens());
        assertEquals(1 << 20, p.maxRecordBytes());
        assertEquals(Duration.ofSeconds(10), cmd.job.checkpointInterval(CONFIG, JobArgs.DEFAULT_CHECKPOINT_INTERVAL));
    }

    @Test
    void withNeitherTheBuiltInDefaultsApply() {
        LogAnomalyCommand cmd = parse();
        Configuration empty = new Configuration();
        ScorerTuning t = cmd.model.tuning(MODEL, empty);
        assertEquals(ScorerTuning.defaults(MODEL.dir()), t);
        assertEquals(StatePrecision.FLOAT32, t.statePrecision());
        assertEquals(1024, t.cacheMaxStates());
        assertNull(t.stateTtl());
        assertEquals(4096, t.batchMaxTokens());
        assertEquals(Duration.ofMillis(50), t.batchMaxDelay());
        assertEquals(3, t.topK());
        assertEquals(ModelChangePolicy.FAIL, t.onModelChange());
        LineParseSettings p = cmd.parse.settings(empty);
        assertEquals(256, p.maxTokens());
        assertEquals(1 << 20, p.maxRecordBytes());
        assertEquals(Duration.ofSeconds(10), cmd.job.checkpointInterval(empty, JobArgs.DEFAULT_CHECKPOINT_INTERVAL));
        assertEquals(Duration.ofSeconds(1), cmd.checkpointInterval(Duration.ofSeconds(1)), "the embedded run's");
    }

    @Test
    void aBadValueNamesBothTheFlagAndTheKey() {
        Configuration conf = Configuration.fromMap(Map.of("linnet.cache.max-states", "0"));
        var e = assertThrows(IllegalArgumentException.class, () -> parse().model.tuning(MODEL, conf));
        assertTrue(e.getMessage().contains("--cache-max-states (linnet.cache.max-states)"), e.getMessage());
        Configuration topK = Configuration.fromMap(Map.of("linnet.output.top-k", "500"));
        e = assertThrows(IllegalArgumentException.class, () -> parse().model.tuning(MODEL, topK));
        assertTrue(e.getMessage().contains("--top-tokens (linnet.output.top-k)"), e.getMessage());
    }
}
