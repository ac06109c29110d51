package dev.linnet.flink.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code linnet-jobs.jar}, the job jar a Flink cluster runs ({@code flink run}, application mode,
 * the Docker image and the Kubernetes FlinkDeployment). The jar leaves Flink out: the cluster provides it. The
 * jobs on a laptop, with a Kafka broker in the JVM and a local MiniCluster, are the local runner's
 * ({@code linnet-local.jar}), whose commands extend these.
 */
@Command(
        name = "linnet-jobs.jar",
        mixinStandardHelpOptions = true,
        version = "Linnet jobs 0.1.0",
        description = {"Linnet's ready jobs for Kafka on Apache Flink.", "Run a command with --help for its options."},
        subcommands = {LogAnomalyCommand.class, TopicDigestCommand.class, CommandLine.HelpCommand.class})
public final class LinnetJobs implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: log-anomaly or topic-digest");
    }

    public static void main(String[] args) throws Exception {
        if (!flinkPresent()) {
            System.err.println("linnet-jobs: Apache Flink is not on the class path: submit this jar to a Flink cluster "
                    + "(flink run, application mode). To run a job on this machine, use linnet-local.jar "
                    + "(local-runner/target), which holds Flink's runtime and a Kafka broker.");
            System.exit(1);
        }
        if (!startedAsJar()) {
            // under Flink's own launchers (flink run, the REST API, application mode) main runs inside the client
            // or the JobManager: System.exit would end that JVM, and Flink stops a program by an exception when
            // it only wants its job graph, so exceptions must reach Flink unchanged
            runInsideFlink(args);
            return;
        }
        System.exit(execute(args));
    }

    /** Runs a command line under Flink's launchers: never exits the JVM, rethrows what the job throws. */
    static void runInsideFlink(String... args) throws Exception {
        CommandLine cli = new CommandLine(new LinnetJobs());
        Exception[] thrown = new Exception[1];
        // picocli swallows what a handler throws, so keep the exception and rethrow it after execute
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            thrown[0] = e;
            return 1;
        });
        int code = cli.execute(args);
        if (thrown[0] != null) {
            throw thrown[0];
        }
        if (code != 0) {
            throw new IllegalArgumentException("linnet-jobs " + String.join(" ", args) + ": wrong usage (exit code "
                    + code + "); see the message above, or run with --help");
        }
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failed, 2 wrong usage). Does not exit. */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** As {@link #execute(String...)}, with help and errors written to the given writers (null: stdout, stderr). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(new CommandLine(new LinnetJobs()), out, err, args);
    }

    /**
     * Runs a command line of {@code cli} (this jar's or another one built of these commands); returns the exit
     * code: 0 ok, 1 failed (the chain of causes printed), 2 wrong usage (what to fix printed). Does not exit.
     */
    public static int execute(CommandLine cli, PrintWriter out, PrintWriter err, String... args) {
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter errors = commandLine.getErr();
            if (e instanceof IllegalArgumentException) {
                errors.println(commandLine.getCommandName() + ": " + e.getMessage());
                errors.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for the options.");
                return 2;
            }
            errors.println(commandLine.getCommandName() + " failed: " + describe(e));
            if (System.getenv("LINNET_DEBUG") != null) {
                e.printStackTrace(errors);
            } else {
                errors.println("(set LINNET_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** The chain of causes, each message once. */
    public static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        String last = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (last == null || !last.contains(m)) {
                if (b.length() > 0) {
                    b.append("\n  caused by: ");
                }
                b.append(t.getClass().getSimpleName()).append(": ").append(m);
            }
            last = m;
        }
        return b.toString();
    }

    /** True for {@code java -jar linnet-jobs.jar}, false under Flink's launchers, IDEs and tests. */
    static boolean startedAsJar() {
        String command = System.getProperty("sun.java.command", "");
        Path jar = ownJar();
        if (jar == null || command.isEmpty()) {
            return false;
        }
        String first = command.split(" ", 2)[0];
        return first.endsWith(".jar")
                && Path.of(first).toAbsolutePath().normalize().equals(jar);
    }

    private static Path ownJar() {
        try {
            var source = LinnetJobs.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static boolean flinkPresent() {
        try {
            Class.forName(
                    "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment",
                    false,
                    LinnetJobs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
