package dev.linnet.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linnet.engine.config.ModelConfig;
import dev.linnet.engine.io.Checkpoint;
import dev.linnet.engine.io.DType;
import dev.linnet.engine.io.SafetensorsWriter;
import dev.linnet.engine.io.SafetensorsWriter.Tensor;
import dev.linnet.engine.state.StreamState;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same model written in the other layouts and naming a checkpoint may use computes the same numbers;
 * and partial rotary embeddings (which transformers 5.17 ignores) are checked against {@link ReferenceModel64}.
 */
class CheckpointVariantsTest {
    @TempDir
    Path tmp;

    static int[] ids(long seed, int n, int vocab) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(vocab);
        return t;
    }

    static float[] logits(Model m, int[] ids, int chunk) {
        StreamState s = m.newState();
        int v = m.config().vocabSize();
        float[] out = new float[ids.length * v];
        for (int c0 = 0; c0 < ids.length; c0 += chunk) {
            int c = Math.min(chunk, ids.length - c0);
            float[] l = m.forward(s, java.util.Arrays.copyOfRange(ids, c0, c0 + c), ForwardOptions.WITH_LOGITS)
                    .logits();
            System.arraycopy(l, 0, out, c0 * v, c * v);
        }
        return out;
    }

    @Test
    void referenceModel64ItselfMatchesTransformers() throws Exception {
        Path dir = Golden.tinyHybrid();
        try (Checkpoint ck = Checkpoint.open(dir);
                Checkpoint ref = Checkpoint.open(dir.resolve("golden.safetensors"))) {
            long[] l = ref.readLongs("input_ids");
            int[] ids = new int[120];
            for (int i = 0; i < ids.length; i++) ids[i] = (int) l[i];
            double[] mine = new ReferenceModel64(dir, ck).logits(ids, 48);
            double[] theirs = ref.readDoubles("logits");
            double max = 0;
            for (int i = 0; i < mine.length; i++) max = Math.max(max, Math.abs(mine[i] - theirs[i]));
            assertTrue(max < 1e-5, "float64 test reference vs transformers: " + max);
        }
    }

    @Test
    void partialRotaryMatchesTheFloat64Reference() throws Exception {
        Path src = Golden.tinyHybrid();
        Path dir = Files.createDirectories(tmp.resolve("partial"));
        ObjectNode cfg = (ObjectNode)
                new ObjectMapper().readTree(src.resolve("config.json").toFile());
        ((ObjectNode) cfg.get("rope_parameters")).put("partial_rotary_factor", 0.5);
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), cfg);
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Model m = Model.load(dir);
        assertEquals(8, m.config().rotaryDim());
        int[] ids = ids(5, 110, 512);
        double[] ref;
        try (Checkpoint ck = Checkpoint.open(dir)) {
            ref = new ReferenceModel64(dir, ck).logits(ids, 48);
        }
        for (int chunk : new int[] {110, 1, 7, 64}) {
            float[] got = logits(m, ids, chunk);
            double max = 0;
            for (int i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i] - ref[i]));
            assertTrue(max < 1e-3, "chunk " + chunk + ": max abs logit error " + max);
        }
        // and the partial rotation really changes the model (the test would catch rotation being ignored)
        float[] full = logits(Model.load(src), ids, 110);
        float[] part = logits(m, ids, 110);
        double diff = 0;
        for (int i = 0; i < full.length; i++) diff = Math.max(diff, Math.abs(full[i] - part[i]));
        assertTrue(diff > 1e-2, "partial and full rotation gave the same logits");
    }

    @Test
    void originalReleaseNamesParseToTheSameModel() throws Exception {
        Path src = Golden.tinyHybrid();
        ObjectMapper om = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) om.readTree(src.resolve("config.json").toFile());
        ObjectNode orig = cfg.deepCopy();
        orig.remove("layer_types");
        ArrayNode types = orig.putArray("attn_type_list");
        for (int i = 0; i < 7; i++) types.add(0);
        types.add(1);
        orig.remove("rope_parameters");
        orig.put("rope_theta", 10000.0);
        orig.put("rotary_dim", 16);
        for (String part : new String[] {"linear_attn", "full_attn", "mlp"}) {
            String origName =
                    part.equals("mlp") ? "mlp" : part.equals("linear_attn") ? "linear_attention" : "full_attention";
            orig.remove(part + "_alpha_factor");
            orig.remove(part + "_beta_factor");
            orig.put("layernorm_" + origName + "_alpha", 1);
            orig.put("layernorm_" + origName + "_beta", 1);
        }
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        om.writeValue(dir.resolve("config.json").toFile(), orig);
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Model a = Model.load(src);
        Model b = Model.load(dir);
        ModelConfig ca = a.config();
        assertEquals(ca, b.config());
        assertEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void fusedExpertLayoutGivesBitIdenticalResults() throws Exception {
        Path src = Golden.tinyHybrid();
        SafetensorsWriter w = SafetensorsWriter.copyOf(src.resolve("model.safetensors"));
        int experts = 4, inter = 96, hidden = 64;
        for (int l = 0; l < 8; l++) {
            String p = "model.layers." + l + ".";
            java.io.ByteArrayOutputStream gu = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream dn = new java.io.ByteArrayOutputStream();
            for (int e = 0; e < experts; e++) {
                String q = p + "block_sparse_moe.experts." + e + ".";
                gu.writeBytes(w.tensors().get(q + "w1.weight").data());
                gu.writeBytes(w.tensors().get(q + "w3.weight").data());
                dn.writeBytes(w.tensors().get(q + "w2.weight").data());
                w.remove(q + "w1.weight").remove(q + "w2.weight").remove(q + "w3.weight");
            }
            w.put(
                    p + "mlp.experts.gate_up_proj",
                    new Tensor(DType.F32, new long[] {experts, 2 * inter, hidden}, gu.toByteArray()));
            w.put(
                    p + "mlp.experts.down_proj",
                    new Tensor(DType.F32, new long[] {experts, hidden, inter}, dn.toByteArray()));
            Tensor gate = w.tensors().get(p + "block_sparse_moe.gate.weight");
            w.remove(p + "block_sparse_moe.gate.weight");
            w.put(p + "mlp.gate.weight", gate);
        }
        Path dir = w.writeCheckpoint(tmp.resolve("fused"), Files.readString(src.resolve("config.json")));
        int[] ids = ids(9, 80, 512);
        assertArrayEquals(logits(Model.load(src), ids, 80), logits(Model.load(dir), ids, 80));
    }

    @Test
    void shardedCheckpointLoadsTheSameModel() throws Exception {
        Path src = Golden.tinyHybrid();
        SafetensorsWriter all = SafetensorsWriter.copyOf(src.resolve("model.safetensors"));
        SafetensorsWriter a = new SafetensorsWriter(), b = new SafetensorsWriter();
        ObjectNode index = new ObjectMapper().createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (var e : all.tensors().entrySet()) {
            boolean first = i++ % 2 == 0;
            (first ? a : b).put(e.getKey(), e.getValue());
            map.put(e.getKey(), first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        Path dir = Files.createDirectories(tmp.resolve("sharded"));
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        a.write(dir.resolve("model-00001-of-00002.safetensors"));
        b.write(dir.resolve("model-00002-of-00002.safetensors"));
        new ObjectMapper()
                .writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
        assertEquals(Model.load(src).fingerprint(), Model.load(dir).fingerprint());
    }
}
