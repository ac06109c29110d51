package dev.linnet.flink.cli;

import java.io.File;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code linnet-jobs.jar}: on a Flink cluster ({@code flink run}, application mode) and with
 * {@code java -jar} alike.
 *
 * <p>The jar leaves Flink out (a cluster provides it). Started with {@code java -jar}, it finds no Flink on its
 * class path and starts itself once more in a child JVM with {@code -cp linnet-jobs.jar:linnet-runtime/*} (the
 * folder {@code mvn package} fills beside the jar with Flink's runtime and the in-JVM Kafka broker) and
 * {@code --add-modules jdk.incubator.vector} (the engine's fast kernels need it). Under Flink's own launchers it
 * never does: the cluster provides both. {@code LINNET_NO_RELAUNCH=1} turns the restart off.
 */
@Command(name = "linnet-jobs.jar", mixinStandardHelpOptions = true, version = "Linnet jobs 0.1.0",
        description = {"Linnet's ready jobs for Kafka on Apache Flink.",
            "Run a command with --help for its options. Without --bootstrap-servers a job runs embedded: "
                    + "in-JVM Kafka broker, local Flink MiniCluster, bundled model and sample logs."},
        subcommands = {LogAnomalyCommand.class, TopicDigestCommand.class, BenchLogAnomalyCommand.class,
            CommandLine.HelpCommand.class})
public final class LinnetJobs implements Runnable {

    static final String LOG_CONFIG = "dev/linnet/flink/cli/log4j2-linnet-jobs.properties";
    static final String RUNTIME_FOLDER = "linnet-runtime";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: log-anomaly, topic-digest or bench-log-anomaly");
    }

    public static void main(String[] args) throws Exception {
        if (startedAsJar() && (!vectorModulePresent() || !flinkPresent()) && System.getenv("LINNET_NO_RELAUNCH") == null) {
            System.exit(relaunch(args));
        }
        if (!startedAsJar() && flinkPresent()) {
            // under Flink's own launchers (flink run, the REST API, application mode) main runs inside the client
            // or the JobManager: System.exit would end that JVM, and Flink stops a program by an exception when
            // it only wants its job graph, so exceptions must reach Flink unchanged
            runInsideFlink(args);
            return;
        }
        if (!flinkPresent()) {
            System.err.println("linnet-jobs: Apache Flink is not on the class path. Run the jar from the folder `mvn package` "
                    + "built it in (flink-operator/target, which holds linnet-runtime/ beside it), or submit it to a cluster "
                    + "with `flink run`.");
            System.exit(1);
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
            throw new IllegalArgumentException("linnet-jobs " + String.join(" ", args) + ": wrong usage (exit code " + code
                    + "); see the message above, or run with --help");
        }
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failed, 2 wrong usage). Does not exit. */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** As {@link #execute(String...)}, with help and errors written to the given writers (null: stdout, stderr). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new LinnetJobs());
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
    static String describe(Throwable e) {
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

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** True for {@code java -jar linnet-jobs.jar}, false under Flink's launchers, IDEs and tests. */
    static boolean startedAsJar() {
        String command = System.getProperty("sun.java.command", "");
        Path jar = ownJar();
        if (jar == null || command.isEmpty()) {
            return false;
        }
        String first = command.split(" ", 2)[0];
        return first.endsWith(".jar") && Path.of(first).toAbsolutePath().normalize().equals(jar);
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
            Class.forName("org.apache.flink.streaming.api.environment.StreamExecutionEnvironment", false,
                    LinnetJobs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Runs this jar's main class again in a child JVM, with the runtime folder on the class path and the Vector
     * API module; returns the child's exit code.
     */
    private static int relaunch(String[] args) throws Exception {
        Path jar = ownJar();
        Path runtime = jar.getParent().resolve(RUNTIME_FOLDER);
        if (!Files.isDirectory(runtime)) {
            System.err.println("linnet-jobs: " + runtime + " is missing: it holds Flink's runtime and the Kafka broker for "
                    + "`java -jar`. Build with `mvn package` (it fills that folder beside the jar), or submit the jar to a "
                    + "Flink cluster with `flink run`.");
            return 1;
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("--add-modules") && !arg.equals("jdk.incubator.vector")) {
                command.add(arg);
            }
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            command.add("-Dlog4j2.configurationFile=" + LOG_CONFIG); // quiet: results go to stdout
        }
        command.add("-cp");
        command.add(jar + File.pathSeparator + runtime.resolve("*"));
        command.add(LinnetJobs.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("LINNET_NO_RELAUNCH", "1");
        Process child = pb.start();
        Thread stopChild = new Thread(child::destroy, "linnet-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int code = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return code;
    }
}
