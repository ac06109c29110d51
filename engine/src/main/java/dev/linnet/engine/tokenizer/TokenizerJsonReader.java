package dev.linnet.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Tokenizer} from the JSON tree of a tokenizer.json, checking every field it relies on and
 * refusing features it does not implement, by name.
 */
final class TokenizerJsonReader {
    private TokenizerJsonReader() {}

    static Tokenizer read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("tokenizer.json: expected a JSON object at the top level");
        }
        JsonNode version = root.get("version");
        if (version != null && !version.isNull() && !"1.0".equals(version.asText())) {
            throw new UnsupportedTokenizerFeatureException(
                    "tokenizer.json version '" + version.asText() + "' is not supported (expected 1.0)");
        }
        JsonNode modelNode = root.get("model");
        if (modelNode == null || !modelNode.isObject()) {
            throw new IllegalArgumentException("tokenizer.json: field 'model' is missing or not an object");
        }
        BytePairModel model = readModel(modelNode);
        TextNormalizer normalizer = readNormalizer(root.get("normalizer"), "normalizer");
        PreTokenizer preTokenizer = readPreTokenizers(root.get("pre_tokenizer"));
        boolean byteLevelDecoder = readDecoder(root.get("decoder"));

        // Added tokens get ids as HF assigns them: the model's id for content it has, else the next free one.
        Map<Integer, AddedToken> tokensById = new LinkedHashMap<>();
        Map<String, Integer> idByContent = new HashMap<>();
        Map<Integer, String> normalizedForms = new HashMap<>();
        Map<Integer, String> decodeForms = new HashMap<>();
        JsonNode addedNode = root.get("added_tokens");
        int nextId = model.vocabularySize();
        if (addedNode != null && !addedNode.isNull()) {
            if (!addedNode.isArray()) {
                throw new IllegalArgumentException("tokenizer.json: 'added_tokens' must be an array");
            }
            int index = 0;
            for (JsonNode t : addedNode) {
                String where = "added_tokens[" + index++ + "]";
                AddedToken token = readAddedToken(t, where);
                if (token.content().isEmpty()) {
                    continue;
                }
                Integer known = idByContent.get(token.content());
                if (known != null && token.equals(tokensById.get(known))) {
                    continue;
                }
                Integer id = known != null ? known : model.tokenId(token.content());
                if (id == null) {
                    id = nextId++;
                }
                idByContent.put(token.content(), id);
                tokensById.put(id, token);
                String form = token.content();
                if (token.normalized() && normalizer != null) {
                    form = normalizer.normalize(token.content());
                    normalizedForms.put(id, form);
                }
                decodeForms.put(id, form);
            }
        }
        AddedVocabulary added = new AddedVocabulary(tokensById, normalizedForms);
        int bound = Math.max(model.idBound(), nextId);
        TemplateTokens template = readPostProcessor(root.get("post_processor"), "post_processor", new IdLookup() {
            @Override
            public boolean isKnown(int id) {
                return model.token(id) != null || tokensById.containsKey(id);
            }

            @Override
            public int bound() {
                return bound;
            }
        });
        return new Tokenizer(normalizer, preTokenizer, model, added, decodeForms, template, byteLevelDecoder);
    }

    // ---------------------------------------------------------------------------------------------------- model

    private static BytePairModel readModel(JsonNode m) {
        String type = m.hasNonNull("type") ? m.get("type").asText() : (m.has("merges") ? "BPE" : null);
        if (type == null) {
            throw new UnsupportedTokenizerFeatureException(
                    "model has no 'type' and no 'merges': only BPE models are supported");
        }
        if (!"BPE".equals(type)) {
            throw new UnsupportedTokenizerFeatureException("model type '" + type
                    + "' is not supported: only byte-level BPE models are (not WordPiece, Unigram or WordLevel)");
        }
        JsonNode dropout = m.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0.0) {
            throw new UnsupportedTokenizerFeatureException(
                    "model.dropout = " + dropout.asText() + " is not supported: BPE dropout makes encoding random");
        }
        for (String field : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            JsonNode v = m.get(field);
            if (v != null && !v.isNull() && !v.asText().isEmpty()) {
                throw new UnsupportedTokenizerFeatureException(
                        "model." + field + " = '" + v.asText() + "' is not supported (byte-level BPE does not use it)");
            }
        }
        JsonNode vocabNode = m.get("vocab");
        if (vocabNode == null || !vocabNode.isObject()) {
            throw new IllegalArgumentException("model.vocab is missing or not an object of token -> id");
        }
        // ids index arrays of the vocabulary's size: each must be below it, and no two tokens share one (then
        // the ids are exactly 0 .. size-1, as every tokenizer HF writes has them)
        int size = vocabNode.size();
        Map<String, Integer> vocab = new HashMap<>(size * 2);
        String[] tokenOfId = new String[size];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode idNode = e.getValue();
            if (!idNode.isIntegralNumber()) {
                throw new IllegalArgumentException("model.vocab: token " + RegexSplitPattern.quoted(e.getKey())
                        + " has id " + shown(idNode) + ", not an integer");
            }
            long id = idNode.canConvertToLong() ? idNode.longValue() : Long.MAX_VALUE;
            if (id < 0 || id >= size) {
                throw new IllegalArgumentException(
                        "model.vocab: token " + RegexSplitPattern.quoted(e.getKey()) + " has id " + shown(idNode)
                                + ", outside the vocabulary of " + size + " tokens (ids 0 to " + (size - 1) + ")");
            }
            if (tokenOfId[(int) id] != null) {
                throw new IllegalArgumentException(
                        "model.vocab: tokens " + RegexSplitPattern.quoted(tokenOfId[(int) id]) + " and "
                                + RegexSplitPattern.quoted(e.getKey()) + " both have id " + id);
            }
            tokenOfId[(int) id] = e.getKey();
            vocab.put(e.getKey(), (int) id);
        }
        JsonNode mergesNode = m.get("merges");
        if (mergesNode == null || !mergesNode.isArray()) {
            throw new IllegalArgumentException("model.merges is missing or not an array");
        }
        List<String[]> merges = new ArrayList<>(mergesNode.size());
        int rank = 0;
        for (JsonNode item : mergesNode) {
            if (item.isTextual()) {
                String line = item.asText();
                if (line.startsWith("#version")) {
                    continue;
                }
                String[] parts = line.split(" ", -1);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("model.merges[" + rank + "] = " + RegexSplitPattern.quoted(line)
                            + ": expected two tokens separated by one space");
                }
                merges.add(parts);
            } else if (item.isArray()
                    && item.size() == 2
                    && item.get(0).isTextual()
                    && item.get(1).isTextual()) {
                merges.add(new String[] {item.get(0).asText(), item.get(1).asText()});
            } else {
                throw new IllegalArgumentException(
                        "model.merges[" + rank + "]: expected \"a b\" or [\"a\", \"b\"], got " + item);
            }
            rank++;
        }
        boolean ignoreMerges = m.path("ignore_merges").asBoolean(false);
        String unk = m.hasNonNull("unk_token") ? m.get("unk_token").asText() : null;
        boolean fuseUnk = m.path("fuse_unk").asBoolean(false);
        boolean byteFallback = m.path("byte_fallback").asBoolean(false);
        return new BytePairModel(vocab, merges, ignoreMerges, unk, fuseUnk, byteFallback);
    }

    // ---------------------------------------------------------------------------------------------- normalizer

    private static TextNormalizer readNormalizer(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        String type = typeOf(n, where);
        switch (type) {
            case "NFC":
                return TextNormalizer.unicode(Normalizer.Form.NFC);
            case "NFD":
                return TextNormalizer.unicode(Normalizer.Form.NFD);
            case "NFKC":
                return TextNormalizer.unicode(Normalizer.Form.NFKC);
            case "NFKD":
                return TextNormalizer.unicode(Normalizer.Form.NFKD);
            case "Sequence": {
                JsonNode list = n.get("normalizers");
                if (list == null || !list.isArray()) {
                    throw new IllegalArgumentException(where + ": Sequence needs an array 'normalizers'");
                }
                List<TextNormalizer> steps = new ArrayList<>();
                int i = 0;
                for (JsonNode s : list) {
                    TextNormalizer step = readNormalizer(s, where + ".normalizers[" + i++ + "]");
                    if (step != null) {
                        steps.add(step);
                    }
                }
                return steps.isEmpty() ? null : TextNormalizer.sequence(steps);
            }
            default:
                throw new UnsupportedTokenizerFeatureException(where + " type '" + type
                        + "' is not supported (supported: NFC, NFD, NFKC, NFKD and Sequence of them)");
        }
    }

    // -------------------------------------------------------------------------------------------- pre-tokenizer

    private static PreTokenizer readPreTokenizers(JsonNode n) {
        if (n == null || n.isNull()) {
            throw new UnsupportedTokenizerFeatureException("pre_tokenizer is null: only byte-level BPE tokenizers"
                    + " (with a ByteLevel pre-tokenizer) are supported");
        }
        List<JsonNode> steps = new ArrayList<>();
        flatten(n, "pre_tokenizer", steps);
        List<PreTokenizer> built = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode s = steps.get(i);
            String type = typeOf(s, "pre_tokenizer");
            boolean last = i == steps.size() - 1;
            switch (type) {
                case "ByteLevel":
                    if (!last) {
                        throw new UnsupportedTokenizerFeatureException(
                                "pre_tokenizer: a ByteLevel step must be the last" + " one (found one at step "
                                        + (i + 1) + " of " + steps.size() + ")");
                    }
                    built.add(new ByteLevelPreTokenizer(
                            s.path("add_prefix_space").asBoolean(true),
                            s.path("use_regex").asBoolean(true)));
                    break;
                case "Split":
                    built.add(readSplit(s));
                    break;
                default:
                    throw new UnsupportedTokenizerFeatureException("pre_tokenizer type '" + type
                            + "' is not supported (supported: ByteLevel, Split and Sequence of them)");
            }
            if (last && !"ByteLevel".equals(type)) {
                throw new UnsupportedTokenizerFeatureException("pre_tokenizer has no ByteLevel step at its end: only"
                        + " byte-level BPE tokenizers are supported");
            }
        }
        if (built.isEmpty()) {
            throw new UnsupportedTokenizerFeatureException("pre_tokenizer is an empty Sequence: only byte-level BPE"
                    + " tokenizers (with a ByteLevel pre-tokenizer) are supported");
        }
        return built.size() == 1 ? built.get(0) : PreTokenizerSequence.of(built);
    }

    private static void flatten(JsonNode n, String where, List<JsonNode> out) {
        if ("Sequence".equals(typeOf(n, where))) {
            JsonNode list = n.get("pretokenizers");
            if (list == null || !list.isArray()) {
                throw new IllegalArgumentException(where + ": Sequence needs an array 'pretokenizers'");
            }
            int i = 0;
            for (JsonNode s : list) {
                flatten(s, where + ".pretokenizers[" + i++ + "]", out);
            }
        } else {
            out.add(n);
        }
    }

    private static PreTokenizer readSplit(JsonNode s) {
        JsonNode pattern = s.get("pattern");
        if (pattern == null || !pattern.isObject()) {
            throw new IllegalArgumentException(
                    "pre_tokenizer Split: 'pattern' must be {\"Regex\": ...} or {\"String\": ...}");
        }
        SplitPattern p;
        if (pattern.hasNonNull("Regex")) {
            p = SplitPatterns.forRegex(pattern.get("Regex").asText());
        } else if (pattern.hasNonNull("String")) {
            p = RegexSplitPattern.literal(pattern.get("String").asText());
        } else {
            throw new IllegalArgumentException(
                    "pre_tokenizer Split: 'pattern' must be {\"Regex\": ...} or {\"String\": ...}");
        }
        JsonNode behavior = s.get("behavior");
        if (behavior == null || !behavior.isTextual()) {
            throw new IllegalArgumentException("pre_tokenizer Split: 'behavior' is missing");
        }
        return new SplitPreTokenizer(
                p, SplitBehavior.fromJson(behavior.asText()), s.path("invert").asBoolean(false));
    }

    // ----------------------------------------------------------------------------------- post-processor, decoder

    /** The ids a tokenizer has a token for: the model's and the added tokens'. */
    interface IdLookup {
        boolean isKnown(int id);

        /** One past the largest id. */
        int bound();
    }

    private static TemplateTokens readPostProcessor(JsonNode n, String where, IdLookup ids) {
        if (n == null || n.isNull()) {
            return TemplateTokens.NONE;
        }
        String type = typeOf(n, where);
        switch (type) {
            case "ByteLevel":
                return TemplateTokens.NONE; // only trims offsets in HF; ids are unchanged
            case "Sequence": {
                JsonNode list = n.get("processors");
                if (list == null || !list.isArray()) {
                    throw new IllegalArgumentException(where + ": Sequence needs an array 'processors'");
                }
                TemplateTokens result = TemplateTokens.NONE;
                int i = 0;
                for (JsonNode p : list) {
                    result = readPostProcessor(p, where + ".processors[" + i++ + "]", ids)
                            .around(result);
                }
                return result;
            }
            case "TemplateProcessing":
                return readTemplate(n, where, ids);
            case "RobertaProcessing": {
                int cls = pairId(n.get("cls"), where + ".cls", ids);
                int sep = pairId(n.get("sep"), where + ".sep", ids);
                return new TemplateTokens(new int[] {cls}, new int[] {sep});
            }
            default:
                throw new UnsupportedTokenizerFeatureException(where + " type '" + type
                        + "' is not supported (supported: ByteLevel, TemplateProcessing, RobertaProcessing, Sequence)");
        }
    }

    private static int pairId(JsonNode pair, String where, IdLookup ids) {
        if (pair == null
                || !pair.isArray()
                || pair.size() != 2
                || !pair.get(1).isIntegralNumber()
                || !pair.get(1).canConvertToInt()) {
            throw new IllegalArgumentException(where + ": expected [token, id], got " + shown(pair));
        }
        return knownId(pair.get(1), where + "[1]", ids);
    }

    /** An id a post-processor adds: an integer the tokenizer has a token for (else decode and the model fail). */
    private static int knownId(JsonNode n, String where, IdLookup ids) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(where + ": expected a token id, got " + shown(n));
        }
        int id = n.intValue();
        if (!ids.isKnown(id)) {
            throw new IllegalArgumentException(
                    where + ": token id " + id + " is not in the vocabulary (ids 0 to " + (ids.bound() - 1) + ")");
        }
        return id;
    }

    private static String shown(JsonNode n) {
        String s = n == null ? "nothing" : n.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static TemplateTokens readTemplate(JsonNode n, String where, IdLookup ids) {
        JsonNode single = n.get("single");
        JsonNode specials = n.get("special_tokens");
        if (single == null || !single.isArray()) {
            throw new IllegalArgumentException(where + ": TemplateProcessing needs an array 'single'");
        }
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean seenSequence = false;
        int i = 0;
        for (JsonNode piece : single) {
            String at = where + ".single[" + i++ + "]";
            if (piece.has("Sequence")) {
                String id = piece.get("Sequence").path("id").asText();
                if (!"A".equals(id) || seenSequence) {
                    throw new UnsupportedTokenizerFeatureException(at + ": a single-sequence template with sequence '"
                            + id + "' is not supported (expected one $A)");
                }
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = piece.get("SpecialToken").path("id").asText();
                JsonNode spec = specials == null ? null : specials.get(name);
                JsonNode idList = spec == null ? null : spec.get("ids");
                if (idList == null || !idList.isArray()) {
                    throw new IllegalArgumentException(
                            at + ": special token '" + name + "' has no entry with 'ids' in special_tokens");
                }
                int k = 0;
                for (JsonNode id : idList) {
                    (seenSequence ? suffix : prefix)
                            .add(knownId(id, where + ".special_tokens." + name + ".ids[" + k++ + "]", ids));
                }
            } else {
                throw new IllegalArgumentException(at + ": expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
            }
        }
        if (!seenSequence) {
            throw new IllegalArgumentException(where + ": the 'single' template has no $A");
        }
        return new TemplateTokens(
                prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    /** True for ByteLevel, false for none (HF then joins token strings with spaces). */
    private static boolean readDecoder(JsonNode n) {
        if (n == null || n.isNull()) {
            return false;
        }
        String type = typeOf(n, "decoder");
        if ("ByteLevel".equals(type)) {
            return true;
        }
        throw new UnsupportedTokenizerFeatureException(
                "decoder type '" + type + "' is not supported (supported: ByteLevel, or none)");
    }

    // --------------------------------------------------------------------------------------------- added tokens

    private static AddedToken readAddedToken(JsonNode t, String where) {
        if (t == null
                || !t.isObject()
                || !t.hasNonNull("content")
                || !t.get("content").isTextual()) {
            throw new IllegalArgumentException(where + ": expected an object with a string 'content'");
        }
        boolean special = t.path("special").asBoolean(false);
        return new AddedToken(
                t.get("content").asText(),
                t.path("single_word").asBoolean(false),
                t.path("lstrip").asBoolean(false),
                t.path("rstrip").asBoolean(false),
                t.path("normalized").asBoolean(!special),
                special);
    }

    private static String typeOf(JsonNode n, String where) {
        Objects.requireNonNull(n);
        if (!n.isObject() || !n.hasNonNull("type")) {
            throw new IllegalArgumentException(where + ": expected an object with a 'type'");
        }
        return n.get("type").asText();
    }
}
