package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.engine.config.ConfigException;
import dev.linnet.engine.io.CheckpointFormatException;
import dev.linnet.engine.io.SafetensorsWriter;
import dev.linnet.engine.io.SafetensorsWriter.Tensor;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken or hostile checkpoint is refused with the project's own message naming the file and what is wrong,
 * before anything large is allocated. (The file format itself is attacked in io's tests; these are the
 * model-level cases: tensors missing or of the wrong shape for the config, configs out of range.)
 */
class MalformedCheckpointTest {
    @TempDir
    Path tmp;

    private Path withConfig(Consumer<ObjectNode> edit) throws Exception {
        Path src = Golden.tinyHybrid();
        ObjectMapper om = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) om.readTree(src.resolve("config.json").toFile());
        edit.accept(cfg);
        Path dir = Files.createDirectories(tmp.resolve("c" + System.nanoTime()));
        om.writeValue(dir.resolve("config.json").toFile(), cfg);
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return dir;
    }

    private static void refused(Class<? extends Exception> type, Path dir, String... words) {
        Exception e = assertThrows(type, () -> Model.load(dir));
        for (String w : words) assertTrue(e.getMessage().contains(w), "expected '" + w + "' in: " + e.getMessage());
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        Path src = Golden.tinyHybrid();
        Path dir = SafetensorsWriter.copyOf(src.resolve("model.safetensors"))
                .remove("model.layers.3.self_attn.out_proj.weight")
                .writeCheckpoint(tmp.resolve("m"), Files.readString(src.resolve("config.json")));
        refused(CheckpointFormatException.class, dir, "model.layers.3.self_attn.out_proj.weight", "missing");
    }

    @Test
    void wrongShapeForTheConfigIsNamed() throws Exception {
        Path src = Golden.tinyHybrid();
        SafetensorsWriter w = SafetensorsWriter.copyOf(src.resolve("model.safetensors"));
        Tensor r = w.tensors().get("model.layers.7.self_attn.k_proj.weight"); // [32, 64]
        w.put("model.layers.7.self_attn.k_proj.weight", new Tensor(r.dtype(), new long[] {64, 32}, r.data()));
        refused(
                CheckpointFormatException.class,
                w.writeCheckpoint(tmp.resolve("s"), Files.readString(src.resolve("config.json"))),
                "model.layers.7.self_attn.k_proj.weight",
                "[32, 64]");
    }

    @Test
    void noMixtureOfExpertsWeights() throws Exception {
        Path src = Golden.tinyHybrid();
        refused(
                CheckpointFormatException.class,
                SafetensorsWriter.copyOf(src.resolve("model.safetensors"))
                        .remove("model.layers.0.block_sparse_moe.gate.weight")
                        .writeCheckpoint(tmp.resolve("g"), Files.readString(src.resolve("config.json"))),
                "layer 0",
                "mixture-of-experts");
    }

    @Test
    void configValuesOutOfRange() throws Exception {
        refused(ConfigException.class, withConfig(c -> c.put("num_attention_heads", 0)), "num_attention_heads");
        refused(
                ConfigException.class,
                withConfig(c -> c.put("num_key_value_heads", 3)),
                "num_key_value_heads",
                "does not divide");
        refused(
                ConfigException.class,
                withConfig(c -> {
                    c.remove("head_dim");
                    c.put("num_attention_heads", 5);
                    c.put("num_key_value_heads", 5);
                }),
                "head_dim",
                "does not divide");
        refused(ConfigException.class, withConfig(c -> c.put("vocab_size", 2_000_000_000)), "vocab_size");
        refused(
                ConfigException.class,
                withConfig(c -> c.put("intermediate_size", 1 << 20).put("hidden_size", 60000)),
                "more than a Java array");
        refused(ConfigException.class, withConfig(c -> c.put("model_type", "llama")), "model_type");
        refused(
                ConfigException.class,
                withConfig(c -> c.putArray("layer_types").add("linear_attention")),
                "layer_types",
                "1 entries");
        refused(ConfigException.class, withConfig(c -> c.put("num_experts_per_tok", 9)), "num_experts_per_tok");
        refused(ConfigException.class, withConfig(c -> c.put("rms_norm_eps", -1)), "rms_norm_eps");
        refused(ConfigException.class, withConfig(c -> c.put("hidden_size", "sixty-four")), "hidden_size", "integer");
    }

    @Test
    void consistentButHugeConfigFailsOnTheTinyFileNotOnMemory() throws Exception {
        // a config that passes the range checks but describes a far bigger model than the file holds:
        // refused by the first tensor's shape check, long before weights would be allocated
        Path dir = withConfig(
                c -> c.put("hidden_size", 8192).put("intermediate_size", 28672).put("vocab_size", 200000));
        refused(CheckpointFormatException.class, dir, "model.embed_tokens.weight");
    }

    @Test
    void garbageInsteadOfConfigOrWeights() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("garbage"));
        Files.writeString(dir.resolve("config.json"), "{not json");
        refused(ConfigException.class, dir, "config.json", "not valid JSON");
        Path dir2 = withConfig(c -> {});
        Files.write(dir2.resolve("model.safetensors"), new byte[200]);
        refused(CheckpointFormatException.class, dir2, "model.safetensors");
    }
}
