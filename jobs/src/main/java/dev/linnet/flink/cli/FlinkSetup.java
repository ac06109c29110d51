package dev.linnet.flink.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink environment a command runs its job in. Checkpoints go to a file system: a stream's state is large
 * (about 1.4 MiB per key with the default model, float32), and Flink's fallback, the JobManager's memory,
 * refuses checkpoints over 5 MB, which a few keys per subtask exceed.
 */
public final class FlinkSetup {

    /** RocksDB's working directory (an option of the RocksDB backend, which this module does not compile against). */
    private static final ConfigOption<String> ROCKSDB_LOCAL_DIR =
            ConfigOptions.key("state.backend.rocksdb.localdir").stringType().noDefaultValue();

    private FlinkSetup() {}

    /**
     * For a job against a given Kafka: under {@code flink run} or application mode, the cluster's environment
     * with {@code --checkpoint-dir} when given, else the cluster's own {@code execution.checkpointing.dir} and a
     * warning when it has none; started with {@code java -jar} (no cluster), a local MiniCluster as
     * {@link #local} sets it up.
     */
    static StreamExecutionEnvironment cluster(String checkpointDir, PrintStream out) throws IOException {
        Configuration conf = new Configuration();
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if ("local".equals(env.getConfiguration().get(DeploymentOptions.TARGET))) {
            return local(checkpointDir);
        }
        if (env.getConfiguration()
                .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                .isEmpty()) {
            out.println(
                    "WARNING: no checkpoint directory (--checkpoint-dir or execution.checkpointing.dir): Flink keeps "
                            + "checkpoints in the JobManager's memory, which refuses more than 5 MB, and Linnet's per-key states "
                            + "exceed that with a few keys. Set one on a shared file system (s3://, hdfs://, file:// on a shared mount).");
        }
        return env;
    }

    /**
     * For the embedded runs and the benchmark: a local MiniCluster, checkpoints in a temporary directory
     * (removed at exit), and at most three restarts, so a failing job ends with its error instead of
     * restarting for ever.
     */
    public static StreamExecutionEnvironment local(String checkpointDir) throws IOException {
        return local(checkpointDir, new Configuration());
    }

    /**
     * As {@link #local(String)}, with {@code extra} on top (a state backend, a metric reporter); a temporary
     * directory is made for {@code state.backend.rocksdb.localdir} when RocksDB is chosen without one.
     */
    public static StreamExecutionEnvironment local(String checkpointDir, Configuration extra) throws IOException {
        Configuration conf = new Configuration();
        if ("rocksdb".equalsIgnoreCase(extra.get(StateBackendOptions.STATE_BACKEND))
                && !extra.contains(ROCKSDB_LOCAL_DIR)) {
            Path rocks = Files.createTempDirectory("linnet-rocksdb-");
            deleteAtExit(rocks);
            conf.set(ROCKSDB_LOCAL_DIR, rocks.toString());
        }
        String dir = checkpointDir;
        if (dir == null) {
            Path tmp = Files.createTempDirectory("linnet-checkpoints-");
            deleteAtExit(tmp);
            dir = tmp.toUri().toString();
        }
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        conf.addAll(extra);
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    private static void deleteAtExit(Path dir) {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try (var paths = Files.walk(dir)) {
                                paths.sorted(java.util.Comparator.reverseOrder())
                                        .forEach(p -> p.toFile().delete());
                            } catch (IOException | RuntimeException e) {
                                // a temporary directory left behind is no reason to fail the exit
                            }
                        },
                        "linnet-remove-checkpoints"));
    }
}
