package dev.linnet.flink.jobs;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Checkpointing as the jobs need it. They always checkpoint, at the interval their settings give (the command line
 * takes it from --checkpoint-interval, else the configuration's execution.checkpointing.interval, else a default),
 * since their transactional sinks commit output only at checkpoints. The mode is the configuration's
 * (execution.checkpointing.mode, EXACTLY_ONCE unless set). Barriers are unaligned unless the configuration says
 * otherwise (execution.checkpointing.unaligned.enabled): the model is by far the slowest step, so the network
 * buffers in front of it are usually full; an aligned barrier would wait behind all of that data, and the output
 * would stall for as long. Unaligned barriers overtake the buffered records (which go into the checkpoint instead);
 * Flink has them in EXACTLY_ONCE mode only.
 */
final class Checkpoints {

    private Checkpoints() {}

    static void configure(StreamExecutionEnvironment env, Duration interval) {
        env.enableCheckpointing(interval.toMillis());
        if (env.getConfiguration()
                        .getOptional(CheckpointingOptions.ENABLE_UNALIGNED)
                        .isEmpty()
                && env.getCheckpointConfig().getCheckpointingConsistencyMode() == CheckpointingMode.EXACTLY_ONCE) {
            env.getCheckpointConfig().enableUnalignedCheckpoints();
        }
    }
}
