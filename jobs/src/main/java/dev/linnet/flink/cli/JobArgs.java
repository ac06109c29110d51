package dev.linnet.flink.cli;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import picocli.CommandLine.Option;

/** Checkpointing and parallelism. */
final class JobArgs {

    /**
     * The checkpoint interval of a job on a cluster when neither --checkpoint-interval nor the configuration's
     * execution.checkpointing.interval sets one: the jobs must checkpoint, their exactly-once output is committed
     * at each checkpoint.
     */
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Checkpoint interval; the exactly-once output becomes visible to read_committed consumers "
                    + "at each checkpoint, so this bounds the output's latency. Default: the configuration's "
                    + "execution.checkpointing.interval, else 10s (the embedded run: 1s).")
    Duration checkpointInterval;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Parallelism of the job; 0 keeps the cluster's default (the embedded run uses the number of cores).")
    int parallelism;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "URI",
            description = "Where checkpoints go (file:///..., s3://..., hdfs://...); needed on a cluster that sets no "
                    + "execution.checkpointing.dir. Default: the cluster's (a temporary directory for embedded runs).")
    String checkpointDir;

    /** --checkpoint-interval when given, else {@code config}'s execution.checkpointing.interval, else {@code otherwise}. */
    Duration checkpointInterval(ReadableConfig config, Duration otherwise) {
        if (checkpointInterval != null) {
            return checkpointInterval;
        }
        return config.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(otherwise);
    }
}
