package dev.linnet.flink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linnet.flink.cli.ModelArgs;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.ScorerTuning;
import dev.linnet.flink.jobs.TokenizerSpec;
import dev.linnet.flink.operator.LinnetClusterOptions;
import dev.linnet.flink.operator.LinnetOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Every linnet.* key that deploy/ sets for the jobs (the image's config.yaml, the FlinkDeployments'
 * flinkConfiguration, Compose's FLINK_PROPERTIES) is one the jobs apply, with the value it sets: no job argument
 * there gives the flag that would override it, and the scorer settings made from that configuration hold it.
 */
class DeployLinnetSettingsTest {

    /** A scorer option the jobs apply, the flag that overrides it (null: none) and where the settings keep it. */
    private record Applied(ConfigOption<?> option, String flag, Function<ScorerTuning, Object> value) {}

    private static final List<Applied> SCORER = List.of(
            new Applied(LinnetOptions.STATE_PRECISION, "--state-precision", ScorerTuning::statePrecision),
            new Applied(LinnetOptions.CACHE_MAX_STATES, "--cache-max-states", ScorerTuning::cacheMaxStates),
            new Applied(LinnetOptions.STATE_TTL, "--state-ttl", ScorerTuning::stateTtl),
            new Applied(LinnetOptions.BATCH_MAX_TOKENS, "--batch-max-tokens", ScorerTuning::batchMaxTokens),
            new Applied(LinnetOptions.BATCH_MAX_DELAY, "--batch-max-delay", ScorerTuning::batchMaxDelay),
            new Applied(LinnetOptions.TOP_K, "--top-tokens", ScorerTuning::topK),
            new Applied(LinnetOptions.WINDOW_BOUND, null, ScorerTuning::windowBound),
            new Applied(LinnetOptions.ON_MODEL_CHANGE, null, ScorerTuning::onModelChange));

    /** The other linnet.* keys the jobs read (the model, the parser's limits), with the flag that overrides each. */
    private static final Map<String, String> OTHERS = Map.of(
            LinnetOptions.MODEL_PATH.key(), "--model",
            LinnetOptions.MAX_TOKENS_PER_RECORD.key(), "--max-tokens",
            LinnetOptions.MAX_BYTES_PER_RECORD.key(), "--max-record-bytes");

    /**
     * Cluster options: read by the library on each TaskManager from its own configuration (not job settings), so
     * they take effect whatever job runs there.
     */
    private static final Set<String> CLUSTER =
            Set.of(LinnetClusterOptions.MODEL_ALLOWED_DIRS.key(), LinnetClusterOptions.KERNEL_THREADS.key());

    private record Source(String where, Map<String, String> config, List<String> args) {}

    private static List<Source> sources() {
        List<Source> out = new ArrayList<>();
        out.add(new Source("deploy/flink/config.yaml", DeployFlinkConfigTest.imageConfig(), List.of()));
        JsonNode compose =
                DeployFiles.singleYamlDocument(DeployFiles.deployDir().resolve("docker-compose.yml"));
        compose.path("services").fields().forEachRemaining(service -> {
            JsonNode props = service.getValue().path("environment").path("FLINK_PROPERTIES");
            if (!props.isMissingNode()) {
                List<String> args = new ArrayList<>();
                service.getValue().path("command").forEach(a -> args.add(a.asText()));
                out.add(new Source(
                        "docker-compose.yml service " + service.getKey(),
                        DeployFlinkConfigTest.flinkProperties(props.asText()),
                        args));
            }
        });
        for (Path p : DeployFlinkConfigTest.flinkDeploymentFiles()) {
            JsonNode spec = DeployFiles.singleYamlDocument(p).path("spec");
            List<String> args = new ArrayList<>();
            spec.path("job").path("args").forEach(a -> args.add(a.asText()));
            out.add(new Source(
                    DeployFiles.relative(p), DeployFiles.flattenFlinkConfig(spec.path("flinkConfiguration")), args));
        }
        return out;
    }

    @Test
    void everyLinnetKeyInDeployTakesEffectInTheJobs() {
        ModelChoice model = new ModelChoice(Path.of("/opt/m"), TokenizerSpec.byteLevel(), "m", false);
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (Source s : sources()) {
            Map<String, String> linnet = new LinkedHashMap<>();
            s.config().forEach((k, v) -> {
                if (k.startsWith("linnet.")) {
                    linnet.put(k, v);
                }
            });
            Configuration conf = Configuration.fromMap(linnet);
            ScorerTuning tuning = new ModelArgs().tuning(model, conf);
            for (String key : linnet.keySet()) {
                seen++;
                if (CLUSTER.contains(key)) {
                    continue;
                }
                String flag = OTHERS.get(key);
                Applied applied = SCORER.stream()
                        .filter(a -> a.option().key().equals(key))
                        .findFirst()
                        .orElse(null);
                if (applied == null && flag == null) {
                    problems.add(s.where() + ": " + key + " is not read by the jobs");
                    continue;
                }
                if (applied != null) {
                    flag = applied.flag();
                    Object expected = conf.get(applied.option());
                    if (!expected.equals(applied.value().apply(tuning))) {
                        problems.add(s.where() + ": " + key + " = " + expected + " but the job runs with "
                                + applied.value().apply(tuning));
                    }
                }
                if (flag != null && s.args().contains(flag)) {
                    problems.add(s.where() + ": " + key + " is overridden by " + flag + " in the job's arguments");
                }
            }
        }
        assertTrue(seen >= 7, "expected the model path and the FlinkDeployments' scorer options, saw " + seen);
        assertEquals(List.of(), problems);
    }
}
