package dev.linnet.flink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The FlinkDeployment manifests use only fields of the Flink Kubernetes Operator's FlinkDeployment resource
 * (flink.apache.org/v1beta1) and follow the project's deployment rules: one per job, application mode with the
 * jar from the image, RocksDB, checkpoints and savepoints on the mounted volume, savepoint upgrades.
 */
class FlinkDeploymentManifestTest {

    /**
     * Field names of FlinkDeployment's spec, written down from the operator's CRD (flinkdeployments.flink.apache.org,
     * operator 1.13+): a typo in a field is otherwise silently ignored by kubectl apply without validation.
     */
    private static final Map<String, Set<String>> ALLOWED_FIELDS = Map.of(
            "spec",
                    Set.of(
                            "image",
                            "imagePullPolicy",
                            "flinkVersion",
                            "mode",
                            "serviceAccount",
                            "flinkConfiguration",
                            "jobManager",
                            "taskManager",
                            "podTemplate",
                            "job",
                            "ingress",
                            "logConfiguration",
                            "restartNonce"),
            "spec.job",
                    Set.of(
                            "jarURI",
                            "entryClass",
                            "args",
                            "parallelism",
                            "upgradeMode",
                            "state",
                            "initialSavepointPath",
                            "allowNonRestoredState",
                            "savepointTriggerNonce",
                            "checkpointTriggerNonce",
                            "savepointRedeployNonce",
                            "autoscalerResetNonce"),
            "spec.jobManager", Set.of("resource", "resources", "replicas", "podTemplate"),
            "spec.taskManager", Set.of("resource", "resources", "replicas", "podTemplate"),
            "spec.jobManager.resource", Set.of("cpu", "memory", "ephemeralStorage"),
            "spec.taskManager.resource", Set.of("cpu", "memory", "ephemeralStorage"));

    @Test
    void oneManifestPerJobWithOnlyKnownFields() {
        List<Path> files = DeployFlinkConfigTest.flinkDeploymentFiles();
        Set<String> jobs = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Path p : files) {
            JsonNode d = DeployFiles.singleYamlDocument(p);
            String where = DeployFiles.relative(p);
            if (!"flink.apache.org/v1beta1".equals(d.path("apiVersion").asText())) {
                problems.add(where + ": apiVersion " + d.path("apiVersion").asText());
            }
            for (Map.Entry<String, Set<String>> allowed : ALLOWED_FIELDS.entrySet()) {
                JsonNode node = at(d, allowed.getKey());
                node.fieldNames().forEachRemaining(f -> {
                    if (!allowed.getValue().contains(f)) {
                        problems.add(where + ": " + allowed.getKey() + "." + f + " is not a FlinkDeployment field");
                    }
                });
            }
            jobs.add(d.path("spec").path("job").path("args").path(0).asText());
        }
        assertEquals(List.of(), problems);
        assertEquals(Set.of("log-anomaly", "topic-digest"), jobs, "one FlinkDeployment per job (first job argument)");
    }

    @Test
    void applicationModeRocksDbVolumeCheckpointsAndSavepointUpgrades() {
        List<String> problems = new ArrayList<>();
        for (Path p : DeployFlinkConfigTest.flinkDeploymentFiles()) {
            String where = DeployFiles.relative(p);
            JsonNode spec = DeployFiles.singleYamlDocument(p).path("spec");
            Map<String, String> conf = DeployFiles.flattenFlinkConfig(spec.path("flinkConfiguration"));
            JsonNode job = spec.path("job");
            expect(
                    problems,
                    where,
                    "job.jarURI",
                    "local:///opt/flink/usrlib/linnet-jobs.jar",
                    job.path("jarURI").asText());
            expect(
                    problems,
                    where,
                    "job.upgradeMode",
                    "savepoint",
                    job.path("upgradeMode").asText());
            expect(problems, where, "state.backend.type", "rocksdb", conf.get("state.backend.type"));
            expect(
                    problems,
                    where,
                    "execution.checkpointing.mode",
                    "EXACTLY_ONCE",
                    conf.get("execution.checkpointing.mode"));
            if (!conf.getOrDefault("env.java.opts.all", "").contains("--add-modules=jdk.incubator.vector")) {
                problems.add(where + ": env.java.opts.all must add the jdk.incubator.vector module");
            }
            List<String> mounts = new ArrayList<>();
            for (JsonNode c : spec.path("podTemplate").path("spec").path("containers")) {
                if ("flink-main-container".equals(c.path("name").asText())) {
                    c.path("volumeMounts")
                            .forEach(m -> mounts.add(m.path("mountPath").asText()));
                }
            }
            for (String key : List.of(
                    "execution.checkpointing.dir",
                    "execution.checkpointing.savepoint-dir",
                    "high-availability.storageDir")) {
                String dir = conf.getOrDefault(key, "");
                boolean onVolume = dir.startsWith("s3://")
                        || dir.startsWith("gs://")
                        || dir.startsWith("abfs://")
                        || mounts.stream().anyMatch(m -> dir.startsWith("file://" + m + "/"));
                if (!onVolume) {
                    problems.add(where + ": " + key + " = '" + dir + "' is on neither a mounted volume " + mounts
                            + " nor an object store");
                }
            }
            if (job.path("parallelism").asInt(0) < 1) {
                problems.add(where + ": job.parallelism must be set");
            }
        }
        assertEquals(List.of(), problems);
        assertFalse(DeployFlinkConfigTest.flinkDeploymentFiles().isEmpty());
    }

    private static void expect(List<String> problems, String where, String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            problems.add(where + ": " + what + " should be " + expected + ", is " + actual);
        }
    }

    private static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }
}
