package dev.linnet.flink.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.engine.io.DType;
import dev.linnet.engine.model.RandomCheckpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A small MiniMax-01 shaped checkpoint with seeded random weights, written to a directory: what the jobs run
 * when no trained default model is bundled. Its scores carry no meaning beyond exercising the pipeline, and
 * every run that uses it says so. Shape: the project's tiny test model (vocab 512 for the byte-level
 * tokenizer, hidden 64, 7 lightning layers and one softmax layer with a window of 64, 4 experts top-2).
 */
public final class StandInModel {

    public static final long SEED = 20250101L;
    private static final int VOCAB = 512;
    private static final int HIDDEN = 64;
    private static final int LAYERS = 8;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 16;
    private static final int INTERMEDIATE = 96;
    private static final int EXPERTS = 4;

    private StandInModel() {}

    /**
     * Writes config.json and model.safetensors (the engine's random weights for this seed, F32) into
     * {@code dir} (created if needed) and returns it.
     */
    public static Path write(Path dir) throws IOException {
        return RandomCheckpoint.write(dir, config(), SEED, DType.F32);
    }

    private static String config() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add("MiniMaxForCausalLM");
        c.put("model_type", "minimax");
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", INTERMEDIATE);
        c.put("num_hidden_layers", LAYERS);
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        c.put("head_dim", HEAD_DIM);
        c.put("block_size", 16);
        c.put("sliding_window", 64);
        c.put("num_local_experts", EXPERTS);
        c.put("num_experts_per_tok", 2);
        c.put("rms_norm_eps", 1e-5);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", false);
        c.put("max_position_embeddings", 131072);
        c.putObject("rope_parameters").put("rope_theta", 10000.0).put("rope_type", "default");
        var types = c.putArray("layer_types");
        for (int l = 0; l < LAYERS; l++) {
            types.add(l == LAYERS - 1 ? "full_attention" : "linear_attention");
        }
        for (String f : new String[] {
            "linear_attn_alpha_factor",
            "linear_attn_beta_factor",
            "mlp_alpha_factor",
            "mlp_beta_factor",
            "full_attn_alpha_factor",
            "full_attn_beta_factor"
        }) {
            c.put(f, 1);
        }
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("linnet_note", "stand-in model with seeded random weights (seed " + SEED + "): not trained");
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(c);
    }
}
