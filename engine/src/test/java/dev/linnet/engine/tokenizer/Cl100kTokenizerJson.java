package dev.linnet.engine.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's cl100k_base as a HF tokenizer.json, built from the ranks file that jtokkit ships, the way
 * HF transformers converts tiktoken encodings: vocab = byte-level form of each token -> rank; merges = for
 * each token (in rank order) every split into two tokens that both exist, so that merging by rank replays
 * tiktoken's "merge the pair whose concatenation ranks lowest". Used to compare this tokenizer with jtokkit
 * on the same vocabulary (ids and speed).
 */
public final class Cl100kTokenizerJson {
    /** cl100k's pattern, written as HF writes it for converted tiktoken encodings. */
    public static final String PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private Cl100kTokenizerJson() {}

    private static Tokenizer shared;

    /** Built once per JVM (a few seconds: 100k tokens, 280k merges); the tokenizer is thread-safe. */
    public static synchronized Tokenizer tokenizer() {
        if (shared == null) {
            shared = Tokenizer.fromJson(json());
        }
        return shared;
    }

    public static ObjectNode json() {
        Map<ByteBuffer, Integer> ranks = ranks();
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"};
        int[] specialIds = {100257, 100258, 100259, 100260, 100276};
        for (int i = 0; i < specials.length; i++) {
            ObjectNode t = added.addObject();
            t.put("id", specialIds[i]);
            t.put("content", specials[i]);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", PATTERN);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode bl = steps.addObject();
        bl.put("type", "ByteLevel");
        bl.put("add_prefix_space", false);
        bl.put("trim_offsets", true);
        bl.put("use_regex", false);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        byte[][] byRank = new byte[ranks.size()][];
        for (Map.Entry<ByteBuffer, Integer> e : ranks.entrySet()) {
            byte[] b = new byte[e.getKey().remaining()];
            e.getKey().duplicate().get(b);
            byRank[e.getValue()] = b;
        }
        List<String[]> merges = new ArrayList<>();
        for (int r = 0; r < byRank.length; r++) {
            byte[] t = byRank[r];
            vocab.put(ByteLevelAlphabet.toTokenString(t, 0, t.length), r);
            List<int[]> local = new ArrayList<>();
            for (int cut = 1; cut < t.length; cut++) {
                Integer left = ranks.get(ByteBuffer.wrap(t, 0, cut).slice());
                Integer right =
                        ranks.get(ByteBuffer.wrap(t, cut, t.length - cut).slice());
                if (left != null && right != null) {
                    local.add(new int[] {left, right, cut});
                }
            }
            local.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
            for (int[] l : local) {
                merges.add(new String[] {
                    ByteLevelAlphabet.toTokenString(t, 0, l[2]), ByteLevelAlphabet.toTokenString(t, l[2], t.length)
                });
            }
        }
        ArrayNode mergesNode = model.putArray("merges");
        for (String[] pair : merges) {
            mergesNode.addArray().add(pair[0]).add(pair[1]);
        }
        return root;
    }

    private static Map<ByteBuffer, Integer> ranks() {
        String resource = "/com/knuddels/jtokkit/cl100k_base.tiktoken";
        Map<ByteBuffer, Integer> out = new HashMap<>(200_000);
        try (InputStream in = Cl100kTokenizerJson.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " not on the classpath (jtokkit is a test dependency)");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                int space = line.indexOf(' ');
                out.put(
                        ByteBuffer.wrap(Base64.getDecoder().decode(line.substring(0, space))),
                        Integer.parseInt(line.substring(space + 1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
