package dev.linnet.flink.local;

import dev.linnet.flink.cli.FlinkSetup;
import dev.linnet.flink.cli.JobCommand;
import dev.linnet.flink.jobs.LineParseSettings;
import java.io.IOException;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A command's job built on a local MiniCluster against an {@link EmbeddedStage}'s broker, not started yet. Unless
 * given, it checkpoints every second (results show up at each checkpoint) and runs as many subtasks as there are
 * cores, at most four.
 */
final class EmbeddedJob {

    final Duration checkpointInterval;
    final int parallelism;
    private final StreamExecutionEnvironment env;
    private final String name;

    private EmbeddedJob(Duration checkpointInterval, int parallelism, StreamExecutionEnvironment env, String name) {
        this.checkpointInterval = checkpointInterval;
        this.parallelism = parallelism;
        this.env = env;
        this.name = name;
    }

    static <O, S> EmbeddedJob build(JobCommand<O, S> cmd, EmbeddedStage stage, O own, LineParseSettings parse)
            throws IOException {
        Duration checkpoints = cmd.checkpointInterval(Duration.ofSeconds(1));
        int parallelism = cmd.parallelism() > 0
                ? cmd.parallelism()
                : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        S settings = cmd.settings(stage.kafka, stage.model, parse, own, checkpoints, parallelism);
        StreamExecutionEnvironment env = FlinkSetup.local(cmd.checkpointDir());
        cmd.build(env, settings);
        return new EmbeddedJob(checkpoints, parallelism, env, cmd.jobName() + " (embedded)");
    }

    JobClient start() throws Exception {
        return env.executeAsync(name);
    }
}
