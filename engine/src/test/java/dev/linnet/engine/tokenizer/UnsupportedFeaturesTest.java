package dev.linnet.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Features this tokenizer does not implement are refused at load, naming the feature. */
class UnsupportedFeaturesTest {

    private static ObjectNode base() {
        return (ObjectNode) ParityFixtures.read("llama3-style.json");
    }

    private static JsonNode json(String s) {
        try {
            return ParityFixtures.JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertRefused(Consumer<ObjectNode> edit, String... mustMention) {
        ObjectNode tok = base();
        edit.accept(tok);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromJson(tok));
        for (String word : mustMention) {
            assertTrue(e.getMessage().contains(word), "message '" + e.getMessage() + "' should mention " + word);
        }
    }

    @Test
    void otherModelsAreRefused() {
        assertRefused(t -> ((ObjectNode) t.get("model")).put("type", "WordPiece"), "WordPiece");
        assertRefused(t -> t.set("model", json("{\"type\":\"Unigram\",\"vocab\":[[\"a\",0.0]]}")), "Unigram");
        assertRefused(t -> ((ObjectNode) t.get("model")).put("type", "WordLevel"), "WordLevel");
        assertRefused(t -> ((ObjectNode) t.get("model")).put("dropout", 0.1), "dropout");
        assertRefused(
                t -> ((ObjectNode) t.get("model")).put("continuing_subword_prefix", "##"), "continuing_subword_prefix");
    }

    @Test
    void otherPreTokenizersAreRefused() {
        assertRefused(t -> t.set("pre_tokenizer", json("{\"type\":\"Metaspace\",\"replacement\":\"_\"}")), "Metaspace");
        assertRefused(
                t -> t.set(
                        "pre_tokenizer",
                        json("{\"type\":\"Sequence\",\"pretokenizers\":["
                                + "{\"type\":\"Digits\",\"individual_digits\":true},{\"type\":\"ByteLevel\"}]}")),
                "Digits");
        assertRefused(t -> t.set("pre_tokenizer", json("{\"type\":\"SomethingNew\"}")), "SomethingNew");
        assertRefused(
                t -> t.set(
                        "pre_tokenizer",
                        json(
                                "{\"type\":\"Sequence\",\"pretokenizers\":["
                                        + "{\"type\":\"ByteLevel\"},{\"type\":\"Split\",\"pattern\":{\"String\":\" \"},\"behavior\":\"Isolated\"}]}")),
                "ByteLevel",
                "last");
        assertRefused(t -> t.putNull("pre_tokenizer"), "pre_tokenizer", "ByteLevel");
        assertRefused(
                t -> t.set(
                        "pre_tokenizer",
                        json("{\"type\":\"Split\",\"pattern\":{\"Regex\":\"a\\\\Kb\"},"
                                + "\"behavior\":\"Isolated\",\"invert\":false}")),
                "\\K");
        assertRefused(
                t -> t.set(
                        "pre_tokenizer",
                        json(
                                "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\","
                                        + "\"pattern\":{\"String\":\" \"},\"behavior\":\"Sideways\",\"invert\":false},{\"type\":\"ByteLevel\"}]}")),
                "Sideways");
    }

    @Test
    void otherNormalizersDecodersAndPostProcessorsAreRefused() {
        assertRefused(t -> t.set("normalizer", json("{\"type\":\"Lowercase\"}")), "Lowercase");
        assertRefused(
                t -> t.set(
                        "normalizer",
                        json("{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFC\"},"
                                + "{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"_\"}]}")),
                "Replace");
        assertRefused(
                t -> t.set("decoder", json("{\"type\":\"WordPiece\",\"prefix\":\"##\"}")), "decoder", "WordPiece");
        assertRefused(
                t -> t.set(
                        "post_processor",
                        json("{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",1]," + "\"cls\":[\"[CLS]\",0]}")),
                "BertProcessing");
        assertRefused(t -> t.put("version", "2.0"), "version", "2.0");
    }

    @Test
    void brokenFilesSayWhatIsWrong() {
        assertRefused(t -> t.remove("model"), "model");
        assertRefused(t -> ((ObjectNode) t.get("model")).remove("merges"), "merges");
        assertRefused(
                t -> ((com.fasterxml.jackson.databind.node.ArrayNode)
                                t.get("model").get("merges"))
                        .add("x y z"),
                "merges[",
                "two tokens");
        assertRefused(
                t -> ((com.fasterxml.jackson.databind.node.ArrayNode)
                                t.get("model").get("merges"))
                        .addArray()
                        .add("nosuchtoken")
                        .add("a"),
                "nosuchtoken",
                "not in model.vocab");
        assertRefused(t -> ((ObjectNode) t.get("model")).put("unk_token", "<nope>"), "unk_token", "<nope>");
    }
}
