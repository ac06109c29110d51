package dev.linnet.flink.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.linnet.engine.model.DefaultModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * A Flink session cluster of containers of the deploy image (deploy/Dockerfile: flink:2.2.1-java17 plus
 * linnet-jobs.jar, the default model in /opt/flink/models/linnet-default and deploy/flink/config.yaml), started as
 * deploy/docker-compose.yml starts its services: {@code jobmanager} and {@code taskmanager} commands, settings in
 * {@code FLINK_PROPERTIES}, checkpoints and savepoints on a volume all of them mount at /flink-data.
 */
final class FlinkContainerCluster implements FlinkCluster {

    private static final int REST_PORT = 8081;
    /** What deploy/Dockerfile copies, relative to the repository root (its build context). */
    private static final List<String> BUILD_CONTEXT =
            List.of("deploy", "jobs/target/linnet-jobs.jar", DefaultModel.SOURCE_PATH);

    private final Network network;
    private final String image;
    private final String flinkProperties;
    private final String volume;
    private final GenericContainer<?> jobManager;
    /** Every TaskManager container started, by id; guarded by this (the supervisor thread reads it too). */
    private final Map<String, GenericContainer<?>> taskManagers = new LinkedHashMap<>();
    /** Killed by the test, or reported as exited: never reported (again). */
    private final Set<String> accountedFor = new HashSet<>();

    private final FlinkRest rest;

    private FlinkContainerCluster(
            Network network, String image, String flinkProperties, String volume, GenericContainer<?> jobManager) {
        this.network = network;
        this.image = image;
        this.flinkProperties = flinkProperties;
        this.volume = volume;
        this.jobManager = jobManager;
        this.rest = new FlinkRest(jobManager.getHost(), jobManager.getMappedPort(REST_PORT));
    }

    /**
     * Builds the image from deploy/Dockerfile and starts the JobManager.
     *
     * @param repositoryRoot the Dockerfile's build context
     * @param settings       Flink settings that replace the image's (FLINK_PROPERTIES)
     */
    static FlinkContainerCluster startJobManager(Network network, Path repositoryRoot, Map<String, String> settings) {
        ImageFromDockerfile build = new ImageFromDockerfile(
                        "linnet-flink-it:" + UUID.randomUUID().toString().substring(0, 8), true)
                .withDockerfilePath("deploy/Dockerfile");
        for (String input : BUILD_CONTEXT) {
            Path p = repositoryRoot.resolve(input);
            if (!Files.exists(p)) {
                throw new IllegalStateException(
                        p + " is missing: the image needs it (run through `mvn -P cluster-it verify`, "
                                + "whose package phase builds the jar)");
            }
            build.withFileFromPath(input, p);
        }
        String image = build.get();

        StringBuilder properties = new StringBuilder("jobmanager.rpc.address: jobmanager\n");
        settings.forEach((k, v) -> properties.append(k).append(": ").append(v).append('\n'));
        String volume = "linnet-it-flink-data-" + UUID.randomUUID().toString().substring(0, 8);
        DockerClientFactory.lazyClient()
                .createVolumeCmd()
                .withName(volume)
                .withLabels(Map.of(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID))
                .exec();

        GenericContainer<?> jm = flinkContainer(image, network, properties.toString(), volume)
                .withNetworkAliases("jobmanager")
                .withCommand("jobmanager")
                .withExposedPorts(REST_PORT)
                .waitingFor(Wait.forHttp("/overview").forPort(REST_PORT).withStartupTimeout(Duration.ofMinutes(3)));
        jm.start();
        return new FlinkContainerCluster(network, image, properties.toString(), volume, jm);
    }

    private static GenericContainer<?> flinkContainer(String image, Network network, String properties, String volume) {
        return new GenericContainer<>(image)
                .withNetwork(network)
                .withEnv("JOB_MANAGER_RPC_ADDRESS", "jobmanager")
                .withEnv("FLINK_PROPERTIES", properties)
                // the named volume starts as a copy of the image's /flink-data (owned by the flink user)
                .withCreateContainerCmdModifier(
                        cmd -> cmd.getHostConfig().withBinds(new Bind(volume, new Volume("/flink-data"))));
    }

    @Override
    public FlinkRest rest() {
        return rest;
    }

    @Override
    public synchronized void startTaskManager(String id) {
        GenericContainer<?> tm = flinkContainer(
                        image, network, flinkProperties + "taskmanager.resource-id: " + id + "\n", volume)
                .withNetworkAliases(id)
                .withCommand("taskmanager");
        tm.start();
        taskManagers.put(id, tm);
    }

    /** docker kill (SIGKILL to the container's process). */
    @Override
    public synchronized String killTaskManager(String id) {
        GenericContainer<?> tm = taskManagers.get(id);
        if (tm == null) {
            throw new IllegalArgumentException("no TaskManager " + id + "; have " + taskManagers.keySet());
        }
        accountedFor.add(id);
        String container = tm.getContainerId();
        DockerClient docker = DockerClientFactory.lazyClient();
        docker.killContainerCmd(container).withSignal("SIGKILL").exec();
        return id + " (container " + container.substring(0, 12) + ")";
    }

    @Override
    public synchronized List<String> takeExitedTaskManagers() {
        List<String> exited = new ArrayList<>();
        taskManagers.forEach((id, tm) -> {
            if (!tm.isRunning() && accountedFor.add(id)) {
                Long code = DockerClientFactory.lazyClient()
                        .inspectContainerCmd(tm.getContainerId())
                        .exec()
                        .getState()
                        .getExitCodeLong();
                exited.add(id + " (container exit code " + code + ")");
            }
        });
        return exited;
    }

    @Override
    public void awaitTaskManagers(int count, Duration timeout) {
        try {
            FlinkRest.await(
                    count + " registered TaskManagers",
                    timeout,
                    () -> rest.tryGet("/overview"),
                    o -> o.path("taskmanagers").asInt() == count);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    @Override
    public String savepointDirectory() {
        return "file:///flink-data/savepoints";
    }

    @Override
    public synchronized String diagnostics() {
        StringBuilder sb = new StringBuilder();
        Map<String, GenericContainer<?>> all = new LinkedHashMap<>();
        all.put("jobmanager", jobManager);
        all.putAll(taskManagers);
        all.forEach((name, c) -> {
            String logs;
            try {
                logs = c.getLogs();
            } catch (RuntimeException e) {
                logs = "(logs unavailable: " + e + ")";
            }
            sb.append("---- ")
                    .append(name)
                    .append(c.isRunning() ? " (running)" : " (stopped)")
                    .append('\n')
                    .append(logs.length() <= 4000 ? logs : "..." + logs.substring(logs.length() - 4000))
                    .append('\n');
        });
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        for (GenericContainer<?> tm : taskManagers.values()) {
            tm.stop();
        }
        jobManager.stop();
        try {
            DockerClientFactory.lazyClient().removeVolumeCmd(volume).exec();
        } catch (RuntimeException e) {
            // Testcontainers' reaper removes it with the session's other resources
        }
    }
}
