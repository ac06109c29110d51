package dev.linnet.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linnet.engine.io.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A HuggingFace {@code tokenizer.json} of the byte-level BPE family (GPT-2, RoBERTa, Llama 3, Qwen...),
 * giving the same token ids as HF {@code tokenizers}, in pure Java.
 *
 * <p>Supported: model BPE (vocab, merges in either form, ignore_merges, unk_token, fuse_unk); normalizers
 * NFC, NFD, NFKC, NFKD and Sequence; pre-tokenizers ByteLevel (with or without its regex, add_prefix_space)
 * and Split (regex or string, every behavior, invert), in a Sequence that ends with ByteLevel; added tokens
 * with their single_word/lstrip/rstrip/normalized/special flags; post-processors ByteLevel,
 * TemplateProcessing (single sequences) and RobertaProcessing; the ByteLevel decoder. Anything else is
 * refused at load with an {@link UnsupportedTokenizerFeatureException} naming it. "truncation" and
 * "padding" are ignored: they shape batches, not tokens.
 *
 * <p>Input bytes that are not valid UTF-8 are decoded with U+FFFD replacing each maximal ill-formed
 * subsequence (as Rust's and Python's lossy decoders do) and counted in {@link Encoding#replacements()}.
 * By default special tokens are not recognised in the text ({@link EncodeOptions}).
 *
 * <p>Thread-safe: each thread gets its own scratch space and word cache.
 */
public final class Tokenizer {
    private static final int CACHE_SLOTS = 1 << 15;
    /** Records above twice this are encoded in chunks of about this size (when the tokenizer allows it). */
    static final int CHUNK_BYTES = 1 << 20;
    /**
     * tokenizer.json files above this are refused unread. The largest common ones (Gemma's, of 256k tokens) are
     * about 35 MB; Llama 3's and Qwen 2's under 10 MB.
     */
    public static final long MAX_JSON_BYTES = 64L << 20;

    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final BytePairModel model;
    private final AddedVocabulary added;
    private final TemplateTokens template;
    private final boolean byteLevelDecoder;
    /** Per id: the string HF's decode works with (added token's form, or the model's token), or null. */
    private final String[] idStrings;
    /** Per id: what the ByteLevel decoder turns that string into. */
    private final byte[][] idBytes;

    private final BitSet specialIds = new BitSet();
    /** Whether a record may be cut after a "\n" between printable ASCII without changing its tokens. */
    private final boolean chunkable;
    /** ASCII characters that start an lstrip added token: no cut just before them. */
    private final boolean[] noCutBefore = new boolean[128];

    private final ThreadLocal<BpeWorkspace> workspaces = ThreadLocal.withInitial(() -> new BpeWorkspace(CACHE_SLOTS));
    /**
     * The last thread's workspace: a cheaper lookup than the ThreadLocal when one thread does all the work
     * (as in a Flink subtask). Keeps that thread reachable until another thread encodes.
     */
    private volatile OwnedWorkspace recent;

    private record OwnedWorkspace(Thread owner, BpeWorkspace workspace) {}

    Tokenizer(
            TextNormalizer normalizer,
            PreTokenizer preTokenizer,
            BytePairModel model,
            AddedVocabulary added,
            Map<Integer, String> addedDecodeForms,
            TemplateTokens template,
            boolean byteLevelDecoder) {
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.added = added;
        this.template = template;
        this.byteLevelDecoder = byteLevelDecoder;
        int bound = model.idBound();
        for (int id : added.tokensById().keySet()) {
            bound = Math.max(bound, id + 1);
        }
        idStrings = new String[bound];
        idBytes = new byte[bound][];
        for (int id = 0; id < bound; id++) {
            String form = addedDecodeForms.get(id);
            if (form != null) {
                // An added token stands for its own text. (HF's ByteLevel decoder maps it through the byte
                // table when all its characters are in it, which garbles e.g. "café" into "caf\uFFFD".)
                idStrings[id] = form;
                idBytes[id] = form.getBytes(StandardCharsets.UTF_8);
                continue;
            }
            String s = model.token(id);
            idStrings[id] = s;
            if (s != null) {
                byte[] raw = ByteLevelAlphabet.toBytes(s);
                idBytes[id] = raw != null ? raw : s.getBytes(StandardCharsets.UTF_8);
            }
        }
        boolean addedTokensAllowCuts = true;
        for (AddedToken t : added.tokensById().values()) {
            int nl = t.content().indexOf('\n');
            // a token with a newline inside could span a cut
            addedTokensAllowCuts &= nl < 0 || nl == t.content().length() - 1;
            // one with lstrip would reach back over the newline before the cut: never cut just before it
            char first = t.content().charAt(0);
            if (t.lstrip() && first < 128) {
                noCutBefore[first] = true;
            }
        }
        chunkable = preTokenizer.cutsAfterNewline() && preTokenizer.addsNothing() && addedTokensAllowCuts;
        java.util.Set<String> specialContents = new java.util.HashSet<>();
        for (AddedToken t : added.tokensById().values()) {
            if (t.special()) {
                specialContents.add(t.content());
            }
        }
        for (int id = 0; id < bound; id++) {
            if (idStrings[id] != null && specialContents.contains(idStrings[id])) {
                specialIds.set(id);
            }
        }
    }

    /**
     * Reads a tokenizer.json file: at most {@link #MAX_JSON_BYTES}, strict JSON (valid UTF-8, no key twice in an
     * object, nothing after the top-level value).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it (an
     *                                  {@link UnsupportedTokenizerFeatureException} for a feature not implemented)
     * @throws IOException              when the file cannot be read
     */
    public static Tokenizer load(Path file) throws IOException {
        JsonNode root;
        try {
            root = StrictJson.parse(StrictJson.readFile(file, MAX_JSON_BYTES));
        } catch (StrictJson.Invalid e) {
            throw new IllegalArgumentException(file + " " + e.getMessage(), e);
        }
        try {
            return fromJson(root);
        } catch (UnsupportedTokenizerFeatureException e) {
            throw new UnsupportedTokenizerFeatureException(file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** A tokenizer.json from a stream (read to its end, at most {@link #MAX_JSON_BYTES}); see {@link #load}. */
    public static Tokenizer fromJson(InputStream json) throws IOException {
        try {
            return fromJson(StrictJson.parse(StrictJson.readAtMost(json, MAX_JSON_BYTES)));
        } catch (StrictJson.Invalid e) {
            throw new IllegalArgumentException("tokenizer.json " + e.getMessage(), e);
        }
    }

    /** The text of a tokenizer.json; see {@link #load}. */
    public static Tokenizer fromJson(String json) throws IOException {
        if (json.length() > MAX_JSON_BYTES) {
            throw new IllegalArgumentException("tokenizer.json of " + json.length()
                    + " chars is more than the limit of " + MAX_JSON_BYTES + " bytes");
        }
        try {
            return fromJson(StrictJson.parse(json));
        } catch (StrictJson.Invalid e) {
            throw new IllegalArgumentException("tokenizer.json " + e.getMessage(), e);
        }
    }

    /** A tokenizer.json already parsed (the caller answers for its size and for keys given twice). */
    public static Tokenizer fromJson(JsonNode root) {
        return TokenizerJsonReader.read(root);
    }

    /** Ids of a text, special tokens not recognised, no template tokens. */
    public int[] encode(String text) {
        return encode(text, EncodeOptions.DEFAULT);
    }

    public int[] encode(String text, EncodeOptions options) {
        return encodeText(text, options).ids();
    }

    /**
     * Encodes a Java string; offsets (if asked) refer to its UTF-8 form ({@link Utf8Form}: a lone surrogate is
     * U+FFFD), and char offsets into the string come with them.
     */
    public Encoding encodeText(String text, EncodeOptions options) {
        Objects.requireNonNull(text, "text");
        Encoding e = run(DecodedText.ofJavaString(text), options);
        return options.withOffsets() ? e.withCharOffsets(Utf8Form.of(text)) : e;
    }

    /** Encodes a whole record of (supposedly) UTF-8 bytes. */
    public Encoding encodeUtf8(byte[] record, EncodeOptions options) {
        return encodeUtf8(record, 0, record.length, options);
    }

    /** Encodes record[offset, offset+length); offsets (if asked) are relative to {@code offset}. */
    public Encoding encodeUtf8(byte[] record, int offset, int length, EncodeOptions options) {
        Objects.checkFromIndexSize(offset, length, record.length);
        if (!chunkable || length <= 2 * CHUNK_BYTES) {
            return run(Utf8.decodeLenient(record, offset, length), options);
        }
        EncodingCollector collector = new EncodingCollector(options.withOffsets());
        int replaced = encodeInChunks(record, offset, length, options, collector);
        return collector.toEncoding(replaced);
    }

    /**
     * Encodes record[offset, offset+length) passing each token to {@code sink} as it is produced, without
     * collecting them: for records too large to hold all their ids. Returns the number of replaced invalid
     * UTF-8 sequences (see {@link Encoding#replacements()}).
     */
    public int encodeUtf8(byte[] record, int offset, int length, EncodeOptions options, TokenSink sink) {
        Objects.checkFromIndexSize(offset, length, record.length);
        Objects.requireNonNull(sink, "sink");
        if (!chunkable || length <= 2 * CHUNK_BYTES) {
            DecodedText d = Utf8.decodeLenient(record, offset, length);
            BpeWorkspace ws = acquire();
            try {
                new EncodeRun(this, d, options, ws, sink, 0).run(options.addTemplateTokens());
            } finally {
                ws.inUse = false;
            }
            return d.replacements;
        }
        return encodeInChunks(record, offset, length, options, sink);
    }

    /**
     * A large record, a chunk of about CHUNK_BYTES at a time, cut only after a "\n" followed by printable
     * ASCII: there the pre-tokenizer always ends a piece and no added token or normalization reaches across
     * (checked when the tokenizer was built), so the tokens are those of the whole record, while only one
     * chunk's text is held as a Java string (UTF-16: up to twice the bytes) at a time.
     */
    private int encodeInChunks(byte[] record, int offset, int length, EncodeOptions options, TokenSink sink) {
        BpeWorkspace ws = acquire();
        try {
            return encodeInChunks(record, offset, length, options, sink, ws);
        } finally {
            ws.inUse = false;
        }
    }

    private int encodeInChunks(
            byte[] record, int offset, int length, EncodeOptions options, TokenSink sink, BpeWorkspace ws) {
        boolean offsets = options.withOffsets();
        if (options.addTemplateTokens()) {
            for (int id : template.prefix()) {
                sink.token(id, offsets ? 0 : -1, offsets ? 0 : -1);
            }
        }
        int replaced = 0;
        int end = offset + length;
        for (int pos = offset; pos < end; ) {
            int cut = chunkEnd(record, pos, end);
            DecodedText d = Utf8.decodeLenient(record, pos, cut - pos);
            replaced += d.replacements;
            new EncodeRun(this, d, options, ws, sink, pos - offset).run(false);
            pos = cut;
        }
        if (options.addTemplateTokens()) {
            for (int id : template.suffix()) {
                sink.token(id, offsets ? 0 : -1, offsets ? 0 : -1);
            }
        }
        return replaced;
    }

    /**
     * Where the chunk from {@code from} ends: after the first "\n" past CHUNK_BYTES that has printable
     * ASCII on both sides. (Not after white space: GPT-2's {@code \s+(?!\S)} ends a space run one character
     * early only when it sees the non-space after it.)
     */
    private int chunkEnd(byte[] record, int from, int end) {
        if (end - from <= 2 * CHUNK_BYTES) {
            return end;
        }
        for (int i = from + CHUNK_BYTES; i + 1 < end; i++) {
            if (record[i] == '\n'
                    && printable(record[i - 1])
                    && printable(record[i + 1])
                    && !noCutBefore[record[i + 1]]) {
                return i + 1;
            }
        }
        return end;
    }

    private static boolean printable(byte b) {
        return b >= 0x21 && b <= 0x7E;
    }

    boolean encodesInChunks() {
        return chunkable;
    }

    private Encoding run(DecodedText d, EncodeOptions options) {
        EncodingCollector collector = new EncodingCollector(options.withOffsets());
        BpeWorkspace ws = acquire();
        try {
            new EncodeRun(this, d, options, ws, collector, 0).run(options.addTemplateTokens());
        } finally {
            ws.inUse = false;
        }
        return collector.toEncoding(d.replacements);
    }

    /** This thread's workspace, marked in use; a fresh one if an encoding in this thread already holds it. */
    private BpeWorkspace acquire() {
        Thread me = Thread.currentThread();
        OwnedWorkspace r = recent;
        BpeWorkspace ws;
        if (r != null && r.owner() == me) {
            ws = r.workspace();
        } else {
            ws = workspaces.get();
            recent = new OwnedWorkspace(me, ws);
        }
        if (ws.inUse) {
            ws = new BpeWorkspace(64);
        }
        ws.inUse = true;
        return ws;
    }

    /** The text of some ids, special tokens included. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * The text of some ids, as HF's decode gives it: the tokens' bytes joined, then read as UTF-8 with
     * U+FFFD for what is not (a cut-off multi-byte character, say). One deliberate difference: an added
     * token always decodes to its own text, so that decode(encode(x)) == x also for added tokens with
     * Latin-1 letters, which HF garbles.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        if (!byteLevelDecoder) {
            // no decoder in tokenizer.json: HF joins the token strings with spaces
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                String s = stringOf(id);
                if (skipSpecialTokens && specialIds.get(id)) {
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(s);
            }
            return sb.toString();
        }
        byte[] bytes = decodeBytes(ids, skipSpecialTokens);
        return Utf8.decodeLenient(bytes, 0, bytes.length).text;
    }

    /** The raw bytes of some ids (before any UTF-8 decoding). */
    public byte[] decodeBytes(int[] ids, boolean skipSpecialTokens) {
        int n = 0;
        for (int id : ids) {
            stringOf(id);
            if (!(skipSpecialTokens && specialIds.get(id))) {
                n += idBytes[id].length;
            }
        }
        byte[] out = new byte[n];
        int p = 0;
        for (int id : ids) {
            if (skipSpecialTokens && specialIds.get(id)) {
                continue;
            }
            byte[] b = idBytes[id];
            System.arraycopy(b, 0, out, p, b.length);
            p += b.length;
        }
        return out;
    }

    private String stringOf(int id) {
        if (id < 0 || id >= idStrings.length || idStrings[id] == null) {
            throw new IllegalArgumentException("token id " + id + " is not in this tokenizer's vocabulary (ids 0.."
                    + (idStrings.length - 1) + ")");
        }
        return idStrings[id];
    }

    /** Number of distinct ids: the model's vocabulary plus added tokens not in it (HF's get_vocab_size(true)). */
    public int vocabularySize() {
        int n = model.vocabularySize();
        for (Map.Entry<Integer, AddedToken> e : added.tokensById().entrySet()) {
            if (model.tokenId(e.getValue().content()) == null) {
                n++;
            }
        }
        return n;
    }

    /** One more than the largest id: the size an embedding table needs. */
    public int idBound() {
        return idStrings.length;
    }

    /** The id of a token string (an added token's content, or a model token in byte-level characters). */
    public OptionalInt tokenId(String token) {
        for (Map.Entry<Integer, AddedToken> e : added.tokensById().entrySet()) {
            if (e.getValue().content().equals(token)) {
                return OptionalInt.of(e.getKey());
            }
        }
        Integer id = model.tokenId(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Whether an id is a special added token. */
    public boolean isSpecial(int id) {
        return specialIds.get(id);
    }

    /** The bytes token {@code id} stands for (what decodeBytes gives for it alone). */
    public byte[] tokenBytes(int id) {
        stringOf(id);
        return Arrays.copyOf(idBytes[id], idBytes[id].length);
    }

    TextNormalizer normalizer() {
        return normalizer;
    }

    PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    BytePairModel model() {
        return model;
    }

    AddedVocabulary addedVocabulary() {
        return added;
    }

    TemplateTokens template() {
        return template;
    }
}
