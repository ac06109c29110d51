package dev.linnet.flink.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by the cluster test as its own operating-system process, its output in a log file. Only
 * processes started here are ever signalled, each by its own handle.
 */
final class JavaProcess implements AutoCloseable {

    final String name;
    final Path log;
    private final Process process;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static JavaProcess start(
            String name, List<String> jvmArgs, String classpath, String mainClass, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // if the test JVM itself is stopped, take this process with it (its own handle only)
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-" + name));
            return new JavaProcess(name, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Runs a JVM to completion (a tool), returning its output; fails naming the tool and its output. */
    static String run(
            String name,
            List<String> jvmArgs,
            String classpath,
            String mainClass,
            List<String> args,
            Path log,
            long timeoutSeconds) {
        JavaProcess p = start(name, jvmArgs, classpath, mainClass, args, log);
        try {
            if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.close();
                throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; see " + log);
            }
            String out = Files.readString(log);
            if (p.process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + p.process.exitValue() + ":\n" + tail(out));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.close();
            throw new IllegalStateException("interrupted while running " + name, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status; only for a process that has ended. */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL, as a machine or container dying would: no shutdown hook, no goodbye to the JobManager. */
    void killHard() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                killHard();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    String logTail() {
        try {
            return Files.exists(log) ? tail(Files.readString(log)) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
}
