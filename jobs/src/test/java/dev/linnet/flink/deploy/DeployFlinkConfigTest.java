package dev.linnet.flink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Flink configuration key that deploy/ sets is a current key of Flink, the Kafka connector or Linnet (or of
 * a listed program not on this classpath), its value parses as that option's type, and the memory settings add
 * up the way Flink computes them.
 */
class DeployFlinkConfigTest {

    private static FlinkConfigKeys keys;

    @BeforeAll
    static void scan() {
        keys = FlinkConfigKeys.scanClasspath();
    }

    /** A configuration as one file sets it: where it comes from, and its key-value pairs. */
    record ConfigSource(String where, Map<String, String> entries) {}

    @Test
    void everyKeyIsCurrentAndEveryValueParses() {
        List<ConfigSource> sources = allSources();
        assertTrue(
                sources.size() >= 6,
                "expected config.yaml, three Compose services, two FlinkDeployments and SQL SETs: " + sources);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (ConfigSource s : sources) {
            for (Map.Entry<String, String> e : s.entries().entrySet()) {
                problems.addAll(check(s.where(), e.getKey(), e.getValue()));
                checked++;
            }
        }
        assertTrue(checked > 40, "too few keys found to check: " + checked);
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckCatchesUnknownDeprecatedAndMistypedSettings() {
        assertFalse(check("t", "state.backend.typo", "rocksdb").isEmpty());
        assertFalse(check("t", "state.checkpoints.dir", "file:///x").isEmpty(), "a deprecated key must be reported");
        assertFalse(check("t", "taskmanager.numberOfTaskSlots", "two").isEmpty());
        assertFalse(check("t", "linnet.state.precision", "FLOAT8").isEmpty(), "Linnet's own options are checked too");
        assertEquals(List.of(), check("t", "linnet.batch.max-tokens", "8192"));
    }

    @Test
    void theImageConfigurationSetsTheVectorModuleJava17FlagsAndRocksDb() {
        Map<String, String> conf = imageConfig();
        assertTrue(
                conf.getOrDefault("env.java.opts.all", "").contains("--add-modules=jdk.incubator.vector"),
                "env.java.opts.all");
        assertTrue(
                conf.getOrDefault("env.java.default-opts.all", "")
                        .contains("--add-opens=java.base/java.util=ALL-UNNAMED"),
                "Flink's Java 17 flags must stay in env.java.default-opts.all");
        assertEquals("rocksdb", conf.get("state.backend.type"));
        assertEquals("EXACTLY_ONCE", conf.get("execution.checkpointing.mode"));
    }

    @Test
    void memorySettingsAddUpForEveryJobManagerAndTaskManager() {
        List<String> problems = new ArrayList<>();
        Map<String, String> image = imageConfig();
        problems.addAll(memoryProblems("deploy/flink/config.yaml", image));
        for (Path p : flinkDeploymentFiles()) {
            JsonNode spec = DeployFiles.singleYamlDocument(p).path("spec");
            Map<String, String> conf =
                    new LinkedHashMap<>(DeployFiles.flattenFlinkConfig(spec.path("flinkConfiguration")));
            // the operator turns the pods' resources into the process sizes
            conf.put(
                    JobManagerOptions.TOTAL_PROCESS_MEMORY.key(),
                    spec.path("jobManager").path("resource").path("memory").asText());
            conf.put(
                    TaskManagerOptions.TOTAL_PROCESS_MEMORY.key(),
                    spec.path("taskManager").path("resource").path("memory").asText());
            problems.addAll(memoryProblems(DeployFiles.relative(p), conf));
        }
        assertEquals(List.of(), problems);
    }

    /**
     * A manifest that runs the bundled default model gives every slot's cache of decoded states (float32 network
     * state plus the history) room in the cache's share of the task heap (three quarters of the three quarters the
     * scorer allows its states: the rest is for the keys of a flush), before it lowers linnet.cache.max-states,
     * and the model beside them.
     */
    @Test
    void theTaskHeapHoldsEverySlotsCacheOfDefaultModelStates() throws Exception {
        dev.linnet.engine.config.ModelConfig model;
        try (var in = getClass()
                .getClassLoader()
                .getResourceAsStream(dev.linnet.engine.model.DefaultModel.RESOURCE + "/config.json")) {
            model = dev.linnet.engine.config.ConfigParser.parse(
                    "the default model's config.json", new com.fasterxml.jackson.databind.ObjectMapper().readTree(in));
        }
        long decoded = model.stateBytes(model.slidingWindow());
        long weights = 64L << 20; // the default model's float32 working copy is 31 MB; room for the rest
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path p : flinkDeploymentFiles()) {
            JsonNode spec = DeployFiles.singleYamlDocument(p).path("spec");
            Map<String, String> conf = DeployFiles.flattenFlinkConfig(spec.path("flinkConfiguration"));
            if (!conf.getOrDefault("linnet.model.path", "").endsWith("/linnet-default")) continue;
            checked++;
            conf = new LinkedHashMap<>(conf);
            conf.put(
                    TaskManagerOptions.TOTAL_PROCESS_MEMORY.key(),
                    spec.path("taskManager").path("resource").path("memory").asText());
            TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(Configuration.fromMap(conf));
            long slots = Long.parseLong(conf.getOrDefault("taskmanager.numberOfTaskSlots", "1"));
            long states = Long.parseLong(conf.getOrDefault("linnet.cache.max-states", "1024"));
            // one more state per slot: a copy for text generation, or the one being decoded
            long need = slots * (states + 1) * decoded + weights;
            if (need > 0.75 * 0.75 * tm.getTaskHeapSize().getBytes()) {
                problems.add(DeployFiles.relative(p) + ": " + slots + " slots x " + states + " states x " + decoded
                        + " bytes need " + (need >> 20) + " MiB, more than the cache's 9/16 of the task heap of "
                        + tm.getTaskHeapSize());
            }
        }
        assertTrue(checked > 0, "no manifest runs the default model");
        assertEquals(List.of(), problems);
    }

    private static List<String> memoryProblems(String where, Map<String, String> entries) {
        List<String> problems = new ArrayList<>();
        Configuration conf = Configuration.fromMap(entries);
        try {
            TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(conf);
            if (tm.getTaskHeapSize().getMebiBytes() < 256) {
                problems.add(
                        where + ": TaskManager task heap of " + tm.getTaskHeapSize() + " leaves no room for the model");
            }
        } catch (RuntimeException e) {
            problems.add(where + ": TaskManager memory does not add up: " + e.getMessage());
        }
        try {
            JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(conf);
            if (jm.getJvmHeapMemorySize().getMebiBytes() < 256) {
                problems.add(where + ": JobManager heap of " + jm.getJvmHeapMemorySize() + " is too small");
            }
        } catch (RuntimeException e) {
            problems.add(where + ": JobManager memory does not add up: " + e.getMessage());
        }
        return problems;
    }

    static List<String> check(String where, String key, String value) {
        Optional<ConfigOption<?>> option = keys.option(key);
        if (option.isPresent()) {
            try {
                Configuration.fromMap(Map.of(key, value)).get(option.get());
                return List.of();
            } catch (RuntimeException e) {
                return List.of(where + ": " + key + " = '" + value + "' does not parse: " + e.getMessage());
            }
        }
        Optional<ConfigOption<?>> replacement = keys.replacementOf(key);
        if (replacement.isPresent()) {
            return List.of(where + ": " + key + " is an old name; use "
                    + replacement.get().key());
        }
        if (FlinkConfigKeys.KEYS_OF_OTHER_PROGRAMS.containsKey(key)) {
            return List.of();
        }
        return List.of(where + ": " + key + " is not a Flink, Kafka connector or Linnet option");
    }

    static Map<String, String> imageConfig() {
        return DeployFiles.flattenFlinkConfig(
                DeployFiles.singleYamlDocument(DeployFiles.deployDir().resolve("flink/config.yaml")));
    }

    static List<Path> flinkDeploymentFiles() {
        List<Path> out = new ArrayList<>();
        for (Path p : DeployFiles.filesEndingWith(".yaml", ".yml")) {
            for (JsonNode d : DeployFiles.yamlDocuments(p)) {
                if ("FlinkDeployment".equals(d.path("kind").asText())) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<ConfigSource> allSources() {
        List<ConfigSource> out = new ArrayList<>();
        out.add(new ConfigSource("deploy/flink/config.yaml", imageConfig()));
        JsonNode compose =
                DeployFiles.singleYamlDocument(DeployFiles.deployDir().resolve("docker-compose.yml"));
        compose.path("services").fields().forEachRemaining(service -> {
            JsonNode props = service.getValue().path("environment").path("FLINK_PROPERTIES");
            if (!props.isMissingNode()) {
                out.add(new ConfigSource(
                        "docker-compose.yml service " + service.getKey(), flinkProperties(props.asText())));
            }
        });
        for (Path p : flinkDeploymentFiles()) {
            JsonNode spec = DeployFiles.singleYamlDocument(p).path("spec");
            out.add(new ConfigSource(
                    DeployFiles.relative(p), DeployFiles.flattenFlinkConfig(spec.path("flinkConfiguration"))));
        }
        for (Path p : DeployFiles.filesEndingWith(".sql")) {
            SqlScript s = SqlScript.parse(DeployFiles.read(p));
            if (!s.sets.isEmpty()) {
                out.add(new ConfigSource(DeployFiles.relative(p), s.sets));
            }
        }
        return out;
    }

    /**
     * FLINK_PROPERTIES as the official image's entrypoint reads it: one {@code key: value} a line, all whitespace
     * deleted, split at the first colon.
     */
    static Map<String, String> flinkProperties(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String stripped = line.replaceAll("\\s", "");
            if (stripped.isEmpty()) {
                continue;
            }
            int colon = stripped.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("FLINK_PROPERTIES line without 'key: value': " + line);
            }
            out.put(stripped.substring(0, colon), stripped.substring(colon + 1));
        }
        return out;
    }
}
