package dev.linnet.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The fixtures made by engine/src/test/python/make_tokenizer_fixtures.py with HF tokenizers: the test texts,
 * the trained tokenizer.json files, and per variant what HF gave.
 */
final class ParityFixtures {
    static final String DIR = "/tokenizer/";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] VARIANTS = {
        "gpt2-style",
        "gpt2-prefix-legacy-merges",
        "llama3-style",
        "llama3-prefix",
        "split-style",
        "split-removed",
        "split-merged-prev",
        "split-merged-next",
        "split-contiguous",
        "split-invert-removed",
        "split-string-merged-next",
        "split-nfkd",
    };

    private ParityFixtures() {}

    static JsonNode read(String name) {
        try (InputStream raw = ParityFixtures.class.getResourceAsStream(DIR + name)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + DIR + name);
            }
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Case name to text. */
    static Map<String, String> cases() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode c : read("cases.json.gz")) {
            out.put(c.get("name").asText(), c.get("text").asText());
        }
        return out;
    }

    /** The tokenizer.json of a variant: its base with the variant's fields replaced, as the script built it. */
    static ObjectNode tokenizerJson(JsonNode variant) {
        ObjectNode tok = (ObjectNode) read(variant.get("base").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = variant.get("set").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tok.set(e.getKey(), e.getValue());
        }
        if (variant.path("merges_as_strings").asBoolean(false)) {
            ObjectNode model = (ObjectNode) tok.get("model");
            ArrayNode strings = JSON.createArrayNode();
            for (JsonNode pair : model.get("merges")) {
                strings.add(pair.get(0).asText() + " " + pair.get(1).asText());
            }
            model.set("merges", strings);
        }
        return tok;
    }

    static Tokenizer tokenizer(String base) {
        return Tokenizer.fromJson(read(base + ".json"));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }

    static List<JsonNode> results(JsonNode variant) {
        List<JsonNode> out = new ArrayList<>();
        variant.get("results").forEach(out::add);
        return out;
    }
}
