package dev.linnet.flink.operator;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the cluster, not of a job: Linnet reads them from each TaskManager's own configuration (its
 * config.yaml, or {@code -D} when it starts), never from a job's configuration or a SQL session, so neither a
 * {@code SET} nor a job's {@code -D} changes them. They bound what a job may take from the TaskManager: how many
 * threads a task computes with.
 */
@PublicEvolving
public final class LinnetClusterOptions {

    private LinnetClusterOptions() {}

    public static final ConfigOption<Integer> KERNEL_THREADS = ConfigOptions.key("linnet.kernel.threads")
            .intType()
            .noDefaultValue()
            .withDescription("Threads one Linnet operator or SQL function instance computes the model with, its "
                    + "task thread included (at most the cores the TaskManager's JVM sees). Unset: those cores "
                    + "divided by taskmanager.numberOfTaskSlots, at least 1.");
}
