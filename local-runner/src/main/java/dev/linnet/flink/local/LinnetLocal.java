package dev.linnet.flink.local;

import dev.linnet.flink.cli.LinnetJobs;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code linnet-local.jar}: the ready jobs on this machine, in this JVM. The jar's class path (its
 * manifest names the jars in {@code lib/} beside it) holds Flink's runtime, a Kafka broker and a log binding, so
 * {@code java -jar linnet-local.jar log-anomaly} runs the job on a local MiniCluster against a broker started in
 * the JVM, on the bundled model and sample logs; with --bootstrap-servers the job runs here against that Kafka.
 */
@Command(
        name = "linnet-local.jar",
        mixinStandardHelpOptions = true,
        version = "Linnet local runner 0.1.0",
        description = {
            "Linnet's ready jobs for Kafka on a local Flink MiniCluster.",
            "Run a command with --help for its options. Without --bootstrap-servers a job runs embedded: "
                    + "in-JVM Kafka broker, local Flink MiniCluster, bundled model and sample logs."
        },
        subcommands = {
            LocalLogAnomalyCommand.class,
            LocalTopicDigestCommand.class,
            BenchLogAnomalyCommand.class,
            CommandLine.HelpCommand.class
        })
public final class LinnetLocal implements Runnable {

    /** Flink and Kafka log warnings only, to stderr: the results go to stdout. */
    static final String LOG_CONFIG = "dev/linnet/flink/local/log4j2-linnet-local.properties";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "name a command: log-anomaly, topic-digest or bench-log-anomaly");
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        System.exit(execute(args));
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failed, 2 wrong usage). Does not exit. */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** As {@link #execute(String...)}, with help and errors written to the given writers (null: stdout, stderr). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return LinnetJobs.execute(new CommandLine(new LinnetLocal()), out, err, args);
    }
}
