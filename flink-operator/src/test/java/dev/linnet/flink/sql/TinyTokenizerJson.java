package dev.linnet.flink.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small byte-level BPE tokenizer.json (GPT-2 style) whose ids fit the tiny golden model's vocabulary of
 * 512: the 256 byte tokens, then a few merges common in English and log lines. The project's tokenizer
 * fixtures have vocabularies of 900 and more, too many for that model.
 */
final class TinyTokenizerJson {

    /** Merges in rank order, as plain text (' ' is a space); each is made of two earlier tokens. */
    private static final List<String[]> MERGES = List.of(
            m(" ", "t"),
            m(" ", "a"),
            m("h", "e"),
            m("i", "n"),
            m("e", "r"),
            m("o", "n"),
            m("r", "e"),
            m("a", "t"),
            m("e", "n"),
            m("o", "r"),
            m(" ", "s"),
            m(" ", "c"),
            m(" ", "w"),
            m(" ", "f"),
            m(" ", "b"),
            m(" ", "p"),
            m(" ", "i"),
            m(" ", "o"),
            m("s", "t"),
            m("e", "s"),
            m("e", "d"),
            m("a", "l"),
            m("a", "r"),
            m("i", "t"),
            m("o", "u"),
            m("l", "e"),
            m(" ", "d"),
            m(" ", "m"),
            m(" ", "e"),
            m(" ", "r"),
            m(" ", "l"),
            m(" ", "n"),
            m(" ", "h"),
            m("i", "s"),
            m("i", "o"),
            m("0", "0"),
            m("1", "2"),
            m(" ", "1"),
            m(" ", "2"),
            m(" t", "he"),
            m(" a", "n"),
            m("in", "g"),
            m("io", "n"),
            m(" i", "n"),
            m(" t", "o"),
            m(" o", "f"),
            m("en", "t"),
            m("t", "er"),
            m("at", "e"),
            m(" e", "r"),
            m(" er", "r"),
            m(" err", "or"),
            m("t", "ion"),
            m(" an", "d"),
            m(" c", "on"),
            m(" s", "t"),
            m("o", "k"),
            m(" ", "u"),
            m(" u", "s"),
            m(" us", "er"));

    private TinyTokenizerJson() {}

    private static String[] m(String a, String b) {
        return new String[] {a, b};
    }

    static void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel")
                .put("add_prefix_space", false)
                .put("trim_offsets", true)
                .put("use_regex", true);
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel")
                .put("add_prefix_space", false)
                .put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE")
                .putNull("dropout")
                .putNull("unk_token")
                .putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix")
                .put("fuse_unk", false)
                .put("byte_fallback", false)
                .put("ignore_merges", false);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(byteChar(b)), b);
        }
        ArrayNode merges = json.createArrayNode();
        for (String[] pair : MERGES) {
            String a = alphabet(pair[0]);
            String b = alphabet(pair[1]);
            if (!vocab.containsKey(a) || !vocab.containsKey(b)) {
                throw new IllegalStateException("merge " + pair[0] + "+" + pair[1] + " uses a token not made yet");
            }
            vocab.putIfAbsent(a + b, vocab.size());
            merges.addArray().add(a).add(b);
        }
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        model.set("merges", merges);
        Files.writeString(file, json.writeValueAsString(root));
    }

    /** A plain ASCII string in the byte-level alphabet. */
    private static String alphabet(String plain) {
        StringBuilder sb = new StringBuilder();
        for (byte b : plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append(byteChar(b & 0xff));
        }
        return sb.toString();
    }

    /** GPT-2's byte-to-character map: printable Latin-1 bytes stand for themselves, the rest for 256 + n. */
    private static char byteChar(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
            return (char) b;
        }
        int n = 0;
        for (int x = 0; x < b; x++) {
            if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) {
                n++;
            }
        }
        return (char) (256 + n);
    }
}
