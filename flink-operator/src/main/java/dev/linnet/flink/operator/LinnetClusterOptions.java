package dev.linnet.flink.operator;

import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the cluster, not of a job: Linnet reads them from each TaskManager's own configuration (its
 * config.yaml, or {@code -D} when it starts), never from a job's configuration or a SQL session, so neither a
 * {@code SET} nor a job's {@code -D} changes them. They bound what a job may take from the TaskManager: which
 * files the SQL functions may open, and how many threads a task computes with.
 */
@PublicEvolving
public final class LinnetClusterOptions {

    private LinnetClusterOptions() {}

    public static final ConfigOption<List<String>> MODEL_ALLOWED_DIRS = ConfigOptions.key("linnet.model.allowed-dirs")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Directories under which the SQL functions and the linnet model provider may open a "
                    + "model or tokenizer (model_path, linnet.model.path, linnet.tokenizer.path, 'model.path', "
                    + "'tokenizer.path'): a path is used only when its real path (symlinks followed) lies under "
                    + "the real path of one of them. Unset or empty: none, so SQL can use the bundled default "
                    + "model only. Keep them read-only to the Flink user.");

    public static final ConfigOption<Integer> KERNEL_THREADS = ConfigOptions.key("linnet.kernel.threads")
            .intType()
            .noDefaultValue()
            .withDescription("Threads one Linnet operator or SQL function instance computes the model with, its "
                    + "task thread included (at most the cores the TaskManager's JVM sees). Unset: those cores "
                    + "divided by taskmanager.numberOfTaskSlots, at least 1.");
}
