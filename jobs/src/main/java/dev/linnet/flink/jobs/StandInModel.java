package dev.linnet.flink.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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

    /** Writes config.json and model.safetensors into {@code dir} (created if needed) and returns it. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config());
        Map<String, long[]> shapes = shapes();
        writeSafetensors(dir.resolve("model.safetensors"), shapes);
        return dir;
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
        for (String f : new String[] {"linear_attn_alpha_factor", "linear_attn_beta_factor", "mlp_alpha_factor",
                "mlp_beta_factor", "full_attn_alpha_factor", "full_attn_beta_factor"}) {
            c.put(f, 1);
        }
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("linnet_note", "stand-in model with seeded random weights (seed " + SEED + "): not trained");
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(c);
    }

    /** Every tensor the engine reads for this shape, in the checkpoint's names. */
    private static Map<String, long[]> shapes() {
        Map<String, long[]> t = new LinkedHashMap<>();
        int width = HEADS * HEAD_DIM;
        int kv = KV_HEADS * HEAD_DIM;
        t.put("model.embed_tokens.weight", new long[] {VOCAB, HIDDEN});
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            t.put(p + "input_layernorm.weight", new long[] {HIDDEN});
            t.put(p + "post_attention_layernorm.weight", new long[] {HIDDEN});
            if (l < LAYERS - 1) {
                t.put(p + "self_attn.qkv_proj.weight", new long[] {3L * width, HIDDEN});
                t.put(p + "self_attn.output_gate.weight", new long[] {width, HIDDEN});
                t.put(p + "self_attn.out_proj.weight", new long[] {HIDDEN, width});
                t.put(p + "self_attn.norm.weight", new long[] {width});
            } else {
                t.put(p + "self_attn.q_proj.weight", new long[] {width, HIDDEN});
                t.put(p + "self_attn.k_proj.weight", new long[] {kv, HIDDEN});
                t.put(p + "self_attn.v_proj.weight", new long[] {kv, HIDDEN});
                t.put(p + "self_attn.o_proj.weight", new long[] {HIDDEN, width});
            }
            t.put(p + "block_sparse_moe.gate.weight", new long[] {EXPERTS, HIDDEN});
            for (int e = 0; e < EXPERTS; e++) {
                String q = p + "block_sparse_moe.experts." + e + ".";
                t.put(q + "w1.weight", new long[] {INTERMEDIATE, HIDDEN});
                t.put(q + "w3.weight", new long[] {INTERMEDIATE, HIDDEN});
                t.put(q + "w2.weight", new long[] {HIDDEN, INTERMEDIATE});
            }
        }
        t.put("model.norm.weight", new long[] {HIDDEN});
        t.put("lm_head.weight", new long[] {VOCAB, HIDDEN});
        return t;
    }

    /** The safetensors layout: 8-byte little-endian header length, JSON header, then the raw F32 data. */
    private static void writeSafetensors(Path file, Map<String, long[]> shapes) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        List<String> names = new ArrayList<>(shapes.keySet());
        for (String name : names) {
            long[] shape = shapes.get(name);
            long bytes = 4 * count(shape);
            ObjectNode info = header.putObject(name);
            info.put("dtype", "F32");
            var s = info.putArray("shape");
            for (long d : shape) {
                s.add(d);
            }
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] head = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (head.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(head);
            for (int i = head.length; i < padded; i++) {
                out.write(' ');
            }
            for (String name : names) {
                long[] shape = shapes.get(name);
                float[] values = values(name, shape);
                ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(values);
                out.write(data.array());
            }
        }
    }

    /** Norm weights near 1; matrices N(0, 1/columns), so activations keep their scale through the layers. */
    private static float[] values(String name, long[] shape) {
        SplittableRandom r = new SplittableRandom(SEED * 31 + name.hashCode());
        float[] a = new float[Math.toIntExact(count(shape))];
        boolean norm = name.endsWith("norm.weight");
        double scale = norm ? 0.1 : 1 / Math.sqrt(shape[shape.length - 1]);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((norm ? 1 : 0) + scale * r.nextGaussian());
        }
        return a;
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
