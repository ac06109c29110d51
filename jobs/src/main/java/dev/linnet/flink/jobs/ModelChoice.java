package dev.linnet.flink.jobs;

import dev.linnet.engine.config.ConfigParser;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.model.DefaultModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model a job runs and the tokenizer that goes with it, and a sentence saying which one it is.
 *
 * @param dir         checkpoint directory (must exist on every TaskManager)
 * @param tokenizer   the model's tokenizer.json, or byte-level when the model has none
 * @param description what the run prints about the model
 * @param standIn     true for the untrained stand-in: its scores mean nothing
 */
public record ModelChoice(Path dir, TokenizerSpec tokenizer, String description, boolean standIn) {

    /**
     * {@code --model DIR} when given; else the bundled default model; else the stand-in model, written to a
     * temporary directory.
     *
     * @throws IllegalArgumentException naming what is wrong with the given directory
     */
    public static ModelChoice resolve(Path modelDir) throws IOException {
        if (modelDir != null) {
            return fromDirectory(modelDir, "model in " + modelDir.toAbsolutePath());
        }
        ClassLoader loader = ModelChoice.class.getClassLoader();
        if (DefaultModel.present(loader)) {
            Path dir = DefaultModel.extract(loader);
            return fromDirectory(dir, "the bundled default model");
        }
        Path dir = StandInModel.write(Files.createTempDirectory("linnet-stand-in-model-"));
        deleteOnExit(dir);
        return new ModelChoice(
                dir,
                TokenizerSpec.byteLevel(),
                "STAND-IN MODEL: no trained default model is bundled in this build, so this run uses a small model "
                        + "with seeded random weights (seed " + StandInModel.SEED + ") and a byte-level tokenizer. "
                        + "The pipeline is real; the scores are not meaningful. Pass --model DIR for a trained checkpoint.",
                true);
    }

    private static ModelChoice fromDirectory(Path dir, String what) throws IOException {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException(
                    "--model " + dir + ": not a checkpoint directory (no config.json in it)");
        }
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerJson)) {
            return new ModelChoice(
                    dir, TokenizerSpec.tokenizerJson(tokenizerJson), what + " with its tokenizer.json", false);
        }
        ModelConfig config = ConfigParser.read(dir.resolve("config.json"));
        if (config.vocabSize() < 256) {
            throw new IllegalArgumentException("--model " + dir + ": no tokenizer.json, and its vocabulary of "
                    + config.vocabSize() + " is too small for the byte-level tokenizer (needs 256)");
        }
        return new ModelChoice(
                dir, TokenizerSpec.byteLevel(), what + " (no tokenizer.json: one token per UTF-8 byte)", false);
    }

    private static void deleteOnExit(Path dir) {
        dir.toFile().deleteOnExit();
        dir.resolve("config.json").toFile().deleteOnExit();
        dir.resolve("model.safetensors").toFile().deleteOnExit();
    }
}
