package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The jobs set the checkpoint interval they are given, and leave the mode and alignment to the configuration. */
class CheckpointsTest {

    private static CheckpointConfig configured(Map<String, String> conf, Duration interval) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(conf));
        Checkpoints.configure(env, interval);
        return env.getCheckpointConfig();
    }

    @Test
    void byDefaultExactlyOnceAndUnaligned() {
        CheckpointConfig c = configured(Map.of(), Duration.ofSeconds(10));
        assertEquals(10_000, c.getCheckpointInterval());
        assertEquals(CheckpointingMode.EXACTLY_ONCE, c.getCheckpointingConsistencyMode());
        assertTrue(c.isUnalignedCheckpointsEnabled());
    }

    @Test
    void theConfigurationsModeAndAlignmentStay() {
        CheckpointConfig aligned =
                configured(Map.of("execution.checkpointing.unaligned.enabled", "false"), Duration.ofSeconds(30));
        assertEquals(30_000, aligned.getCheckpointInterval());
        assertFalse(aligned.isUnalignedCheckpointsEnabled());

        CheckpointConfig atLeastOnce =
                configured(Map.of("execution.checkpointing.mode", "AT_LEAST_ONCE"), Duration.ofSeconds(5));
        assertEquals(CheckpointingMode.AT_LEAST_ONCE, atLeastOnce.getCheckpointingConsistencyMode());
        assertFalse(atLeastOnce.isUnalignedCheckpointsEnabled(), "Flink has unaligned barriers in EXACTLY_ONCE only");
    }
}
