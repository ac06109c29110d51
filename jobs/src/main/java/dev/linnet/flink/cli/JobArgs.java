package dev.linnet.flink.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Checkpointing and parallelism. */
final class JobArgs {

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "Checkpoint interval; the exactly-once output becomes visible to read_committed consumers at "
                            + "each checkpoint, so this bounds the output's latency. Default: ${DEFAULT-VALUE} (the embedded run uses 1s unless given).")
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

    boolean checkpointIntervalGiven(picocli.CommandLine.Model.CommandSpec spec) {
        return spec.commandLine().getParseResult().hasMatchedOption("--checkpoint-interval");
    }
}
