package dev.linnet.flink.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A standalone Flink session cluster of separate JVMs on this machine: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), started the way
 * Flink's own scripts start them: JVM memory flags from {@code BashJavaUtils}, JVM options from
 * {@code env.java.*} of the configuration, {@code --configDir} plus dynamic {@code -D} properties.
 *
 * <p>The configuration is deploy/flink/config.yaml (what the image ships), with only addresses, ports,
 * directories, memory sizes and timings replaced for one small machine.
 */
final class FlinkProcessCluster implements FlinkCluster {

    private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final Random RANDOM = new Random();

    private final Path workDir;
    private final Path confDir;
    private final String classpath;
    private final Map<String, String> config;
    private final int restPort;
    private final FlinkRest rest;
    /** Every TaskManager started, by id; guarded by this (the supervisor thread reads it too). */
    private final Map<String, JavaProcess> taskManagers = new LinkedHashMap<>();
    /** Killed by the test, or reported as exited: never reported (again). */
    private final Set<String> accountedFor = new HashSet<>();

    private JavaProcess jobManager;
    private LaunchParameters tmLaunch;

    /** JVM flags and dynamic properties of one process kind, as BashJavaUtils computes them. */
    private record LaunchParameters(List<String> jvmArgs, List<String> dynamicProperties) {}

    private FlinkProcessCluster(Path workDir, String classpath, Map<String, String> config, int restPort) {
        this.workDir = workDir;
        this.confDir = workDir.resolve("conf");
        this.classpath = classpath;
        this.config = config;
        this.restPort = restPort;
        this.rest = new FlinkRest(restPort);
    }

    /**
     * Writes the configuration (deploy/flink/config.yaml plus the local overrides) and starts the JobManager.
     *
     * @param imageConfig deploy/flink/config.yaml
     * @param overrides   settings of this test run that replace the image's (a null value removes one)
     */
    static FlinkProcessCluster startJobManager(
            Path workDir, String classpath, Path imageConfig, Map<String, String> overrides) {
        Map<String, String> config = new TreeMap<>(flatten(imageConfig));
        int restPort = freePort();
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.rpc.port", Integer.toString(freePort()));
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("taskmanager.host", "127.0.0.1");
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", Integer.toString(restPort));
        config.put("io.tmp.dirs", workDir.resolve("tmp").toString());
        config.put("web.upload.dir", workDir.resolve("upload").toString());
        overrides.forEach((k, v) -> {
            if (v == null) {
                config.remove(k); // a null override drops the image's setting
            } else {
                config.put(k, v);
            }
        });
        FlinkProcessCluster c = new FlinkProcessCluster(workDir, classpath, config, restPort);
        c.writeConfig();
        LaunchParameters jm = c.launchParameters("GET_JM_RESOURCE_PARAMS");
        List<String> args = new ArrayList<>(List.of("--configDir", c.confDir.toString()));
        args.addAll(jm.dynamicProperties());
        c.jobManager = JavaProcess.start(
                "jobmanager",
                c.jvmArgs(jm, "jobmanager"),
                classpath,
                JOB_MANAGER,
                args,
                workDir.resolve("logs/jobmanager.out"));
        return c;
    }

    @Override
    public FlinkRest rest() {
        return rest;
    }

    int restPort() {
        return restPort;
    }

    Map<String, String> config() {
        return config;
    }

    /** Starts a TaskManager JVM with this resource id (it registers with the JobManager by itself). */
    @Override
    public synchronized void startTaskManager(String id) {
        if (tmLaunch == null) {
            tmLaunch = launchParameters("GET_TM_RESOURCE_PARAMS");
        }
        List<String> args =
                new ArrayList<>(List.of("--configDir", confDir.toString(), "-D", "taskmanager.resource-id=" + id));
        args.addAll(tmLaunch.dynamicProperties());
        taskManagers.put(
                id,
                JavaProcess.start(
                        id,
                        jvmArgs(tmLaunch, id),
                        classpath,
                        TASK_MANAGER,
                        args,
                        workDir.resolve("logs/" + id + ".out")));
    }

    /** SIGKILL of one TaskManager JVM. */
    @Override
    public synchronized String killTaskManager(String id) {
        JavaProcess tm = taskManagers.get(id);
        if (tm == null) {
            throw new IllegalArgumentException("no TaskManager " + id + "; have " + taskManagers.keySet());
        }
        accountedFor.add(id);
        long pid = tm.pid();
        tm.killHard();
        return id + " (pid " + pid + ")";
    }

    @Override
    public synchronized List<String> takeExitedTaskManagers() {
        List<String> exited = new ArrayList<>();
        taskManagers.forEach((id, tm) -> {
            if (!tm.isAlive() && accountedFor.add(id)) {
                exited.add(
                        id + " (exit code " + tm.exitValue() + ", log " + workDir.resolve("logs/" + id + ".log") + ")");
            }
        });
        return exited;
    }

    /** Waits until the JobManager's REST API answers and this many TaskManagers are registered. */
    @Override
    public void awaitTaskManagers(int count, Duration timeout) {
        try {
            FlinkRest.await(
                    count + " registered TaskManagers",
                    timeout,
                    () -> {
                        checkAlive();
                        return rest.tryGet("/overview");
                    },
                    o -> o.path("taskmanagers").asInt() == count);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    @Override
    public String savepointDirectory() {
        return workDir.resolve("savepoints").toUri().toString();
    }

    /** The last lines of every process's log, for a failure message. */
    @Override
    public synchronized String diagnostics() {
        StringBuilder sb = new StringBuilder();
        List<JavaProcess> all = new ArrayList<>();
        if (jobManager != null) {
            all.add(jobManager);
        }
        all.addAll(taskManagers.values());
        for (JavaProcess p : all) {
            sb.append("---- ")
                    .append(p.name)
                    .append(p.isAlive() ? " (alive)" : " (dead)")
                    .append(", ")
                    .append(p.log)
                    .append('\n');
            sb.append(p.logTail()).append('\n');
        }
        return sb.toString();
    }

    private void checkAlive() {
        if (jobManager != null && !jobManager.isAlive()) {
            throw new IllegalStateException("the JobManager exited:\n" + jobManager.logTail());
        }
    }

    @Override
    public synchronized void close() {
        for (JavaProcess tm : taskManagers.values()) {
            tm.close();
        }
        if (jobManager != null) {
            jobManager.close();
        }
    }

    private List<String> jvmArgs(LaunchParameters launch, String processName) {
        List<String> args = new ArrayList<>(launch.jvmArgs());
        String kind = processName.equals("jobmanager") ? "jobmanager" : "taskmanager";
        for (String key : List.of("env.java.default-opts.all", "env.java.opts.all", "env.java.opts." + kind)) {
            String opts = config.getOrDefault(key, "").strip();
            if (!opts.isEmpty()) {
                args.addAll(Arrays.asList(opts.split("\\s+")));
            }
        }
        args.add("-Dlog.file=" + workDir.resolve("logs/" + processName + ".log"));
        args.add("-Dlog4j.configurationFile="
                + confDir.resolve("log4j.properties").toUri());
        return args;
    }

    private LaunchParameters launchParameters(String command) {
        String out = JavaProcess.run(
                "BashJavaUtils " + command,
                List.of(),
                classpath,
                BASH_JAVA_UTILS,
                List.of(command, "--configDir", confDir.toString()),
                workDir.resolve("logs/bash-java-utils-" + command + ".out"),
                120);
        List<String> results = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                results.add(
                        line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip());
            }
        }
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " gave no JVM parameters:\n" + out);
        }
        List<String> dynamic = new ArrayList<>();
        String[] words = results.get(1).split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("-D") && i + 1 < words.length) {
                dynamic.add("-D");
                dynamic.add(words[++i]);
            }
        }
        return new LaunchParameters(List.of(results.get(0).split("\\s+")), dynamic);
    }

    private void writeConfig() {
        try {
            Files.createDirectories(confDir);
            StringBuilder yaml = new StringBuilder(
                    "# written by the cluster test from deploy/flink/config.yaml plus local overrides\n");
            for (Map.Entry<String, String> e : config.entrySet()) {
                yaml.append(e.getKey())
                        .append(": '")
                        .append(e.getValue().replace("'", "''"))
                        .append("'\n");
            }
            Files.writeString(confDir.resolve("config.yaml"), yaml);
            Files.copy(
                    ClusterClasspath.resource("cluster/log4j-cluster.properties"),
                    confDir.resolve("log4j.properties"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> flatten(Path yamlFile) {
        try {
            JsonNode root = new YAMLMapper().readTree(yamlFile.toFile());
            Map<String, String> out = new TreeMap<>();
            flatten("", root, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + yamlFile, e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else {
            out.put(prefix, node.asText());
        }
    }

    /**
     * A free loopback port below the kernel's ephemeral range. A port from that range (what binding port 0 gives),
     * once released, may be handed to any process's next outgoing connection before the broker or JobManager that
     * is told it binds it, which on a machine shared with other test runs happens; below the range only another
     * such random pick can take it.
     */
    static int freePort() {
        int low = 10_000;
        int high = ephemeralRangeStart() - 1;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = low + RANDOM.nextInt(high - low + 1);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IllegalStateException("no free port found in " + low + ".." + high);
    }

    /**
     * The first port of the kernel's ephemeral range (Linux; read line by line: procfs files report no size); 32768,
     * Linux's usual start, where it is not told or leaves too few ports below it.
     */
    private static int ephemeralRangeStart() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            int start = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
            return start >= 20_000 ? start : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
