package dev.linnet.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Without a cluster around, a job against a given Kafka still checkpoints to a file system. */
class FlinkSetupTest {

    @Test
    void aLocalRunGetsATemporaryCheckpointDirectoryAndNoWarning() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        StreamExecutionEnvironment env = FlinkSetup.cluster(null, new PrintStream(text, true, StandardCharsets.UTF_8));
        String dir = env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
        assertTrue(dir != null && dir.startsWith("file:"), "checkpoint directory " + dir);
        assertEquals("filesystem", env.getConfiguration().get(CheckpointingOptions.CHECKPOINT_STORAGE));
        assertEquals("", text.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aGivenDirectoryIsKept() throws Exception {
        StreamExecutionEnvironment env = FlinkSetup.cluster("file:///tmp/linnet-given", System.out);
        assertEquals(
                "file:///tmp/linnet-given", env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
    }
}
