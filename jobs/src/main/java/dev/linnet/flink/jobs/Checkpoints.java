package dev.linnet.flink.jobs;

import java.time.Duration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Checkpointing as the jobs need it: exactly-once, and unaligned. The model is by far the slowest step, so
 * the network buffers in front of it are usually full; an aligned barrier would wait behind all of that
 * data, and since the transactional sinks commit only when a checkpoint completes, the output would stall
 * for as long. Unaligned barriers overtake the buffered records (which go into the checkpoint instead).
 */
final class Checkpoints {

    private Checkpoints() {}

    static void configure(StreamExecutionEnvironment env, Duration interval) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().enableUnalignedCheckpoints();
    }
}
