package dev.linnet.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.engine.testing.Golden;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiny reference checkpoint and its outputs, written by transformers and torch: read back right. */
class GoldenCheckpointTest {
    static Path caseDir;
    static JsonNode golden;

    @BeforeAll
    static void locate() throws Exception {
        caseDir = Golden.tinyHybrid();
        golden = new ObjectMapper().readTree(caseDir.resolve("golden.json").toFile());
    }

    @Test
    void everySavedTensorHasTheListedDtypeAndShape() throws Exception {
        JsonNode saved = golden.get("saved_tensors");
        try (Checkpoint ck = Checkpoint.open(caseDir)) {
            TreeSet<String> listed = new TreeSet<>();
            for (Map.Entry<String, JsonNode> e : saved.properties()) {
                listed.add(e.getKey());
                TensorInfo t = ck.info(e.getKey());
                assertEquals(e.getValue().get(0).asText(), t.dtype().name(), e.getKey());
                JsonNode dims = e.getValue().get(1);
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = dims.get(i).asLong();
                assertArrayEquals(shape, t.shape(), e.getKey());
            }
            assertEquals(listed, ck.names(), "the file holds exactly the listed tensors");
        }
        try (SafetensorsFile f = SafetensorsFile.open(caseDir.resolve("model.safetensors"))) {
            assertEquals(Map.of("format", "pt"), f.metadata());
        }
    }

    @Test
    void inputIdsAreTokenIdsOfTheTinyVocabulary() throws Exception {
        int seq = golden.get("seq").asInt();
        try (Checkpoint ck = Checkpoint.open(caseDir.resolve("golden.safetensors"))) {
            long[] ids = ck.readLongs("input_ids", seq);
            assertEquals(300, ids.length);
            for (long id : ids) assertTrue(id >= 0 && id < 512, "token id " + id);
        }
    }

    @Test
    void logitsMaximumMatchesGoldenJson() throws Exception {
        try (Checkpoint ck = Checkpoint.open(caseDir.resolve("golden.safetensors"))) {
            double[] logits = ck.readDoubles("logits", golden.get("seq").asLong(), 512);
            double max = 0;
            for (double v : logits) max = Math.max(max, Math.abs(v));
            assertEquals(golden.get("logit_abs_max").asDouble(), max, 0.0);
        }
    }

    /** hidden_states.0 is the embedding output in float64, so it must equal the F32 embedding rows exactly. */
    @Test
    void embeddingOutputEqualsEmbeddingRowsOfTheInputIds() throws Exception {
        try (Checkpoint model = Checkpoint.open(caseDir);
                Checkpoint out = Checkpoint.open(caseDir.resolve("golden.safetensors"))) {
            float[] embed = model.readFloats("model.embed_tokens.weight", 512, 64);
            long[] ids = out.readLongs("input_ids");
            double[] h0 = out.readDoubles("hidden_states.0", ids.length, 64);
            for (int t = 0; t < ids.length; t++) {
                for (int j = 0; j < 64; j++) {
                    assertEquals(embed[(int) ids[t] * 64 + j], h0[t * 64 + j], 0.0, "token " + t + " dim " + j);
                }
            }
            float[] h0f = out.readFloats("hidden_states.0");
            for (int i = 0; i < h0.length; i++) assertEquals((float) h0[i], h0f[i], 0f);
        }
    }
}
