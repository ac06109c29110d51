package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.TokenizerSpec;
import dev.linnet.flink.operator.LinnetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The model of a job submitted to a cluster: --model, else the cluster's {@code linnet.model.path}, else the
 * bundled model (which only works where the TaskManagers share this machine's file system, as in a local run).
 */
final class ClusterModel {

    private ClusterModel() {}

    static ModelChoice resolve(ModelArgs args, StreamExecutionEnvironment env) throws IOException {
        Path dir = args.model;
        if (dir == null) {
            dir = env.getConfiguration()
                    .getOptional(LinnetOptions.MODEL_PATH)
                    .map(Path::of)
                    .orElse(null);
        }
        if (dir != null && !Files.isDirectory(dir)) {
            // the client may not hold the model; the TaskManagers must (SharedModels says so clearly if not)
            return new ModelChoice(
                    dir,
                    TokenizerSpec.tokenizerJson(dir.resolve("tokenizer.json")),
                    dir + " (not on this machine: expected on every TaskManager, with its tokenizer.json)",
                    false);
        }
        return ModelChoice.resolve(dir);
    }
}
