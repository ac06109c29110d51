package dev.linnet.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linnet.engine.history.HistoryConfig;
import dev.linnet.engine.io.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a HuggingFace {@code config.json} of {@code model_type: "minimax"}, in transformers' names and in
 * the original release's names ({@code attn_type_list}, {@code rotary_dim}, {@code layernorm_*_alpha/beta}),
 * and refuses values out of range before anything is allocated. The file is read as strictly as a safetensors
 * header ({@link StrictJson}: at most {@link #MAX_CONFIG_BYTES}, valid UTF-8, no key twice, nothing after the
 * object), and the per-stream state the config describes must stay within {@link ModelConfig#MAX_STATE_BYTES}.
 */
public final class ConfigParser {
    /** Bounds that keep a hostile config from asking for absurd allocations; generous for real models. */
    static final int MAX_VOCAB = 4 << 20;

    static final int MAX_HIDDEN = 1 << 16;
    static final int MAX_INTERMEDIATE = 1 << 20;
    static final int MAX_LAYERS = 1024;
    static final int MAX_HEADS = 1024;
    static final int MAX_HEAD_DIM = 1024;
    static final int MAX_EXPERTS = 4096;
    static final int MAX_BLOCK = 1 << 16;
    /** config.json files above this are refused unread (real ones are a few kilobytes). */
    public static final long MAX_CONFIG_BYTES = 1L << 20;

    private final String source;
    private final JsonNode root;

    private ConfigParser(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    public static ModelConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such file (a checkpoint directory needs config.json)");
        }
        byte[] bytes;
        try {
            bytes = StrictJson.readFile(file, MAX_CONFIG_BYTES);
        } catch (StrictJson.Invalid e) {
            throw new ConfigException(file + " " + e.getMessage());
        }
        return parse(file.toString(), bytes);
    }

    /** The bytes of a config.json, named {@code source} in messages; as {@link #read} once the file is read. */
    static ModelConfig parse(String source, byte[] json) {
        if (json.length > MAX_CONFIG_BYTES) {
            throw new ConfigException(
                    source + " is " + json.length + " bytes, more than the limit of " + MAX_CONFIG_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = StrictJson.parse(json);
        } catch (StrictJson.Invalid e) {
            throw new ConfigException(source + " " + e.getMessage());
        }
        return parse(source, root);
    }

    public static ModelConfig parse(String source, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": expected a JSON object");
        }
        return new ConfigParser(source, root).build();
    }

    private ModelConfig build() {
        String type = text("model_type", null);
        if (type == null || !type.equalsIgnoreCase("minimax")) {
            throw fail(
                    "model_type",
                    "must be \"minimax\", got " + (type == null ? "nothing" : StrictJson.show(root.get("model_type"))));
        }
        int vocab = intIn("vocab_size", null, 1, MAX_VOCAB);
        int hidden = intIn("hidden_size", null, 1, MAX_HIDDEN);
        int inter = intIn("intermediate_size", null, 1, MAX_INTERMEDIATE);
        int layers = intIn("num_hidden_layers", null, 1, MAX_LAYERS);
        int heads = intIn("num_attention_heads", null, 1, MAX_HEADS);
        int kvHeads = intIn("num_key_value_heads", heads, 1, MAX_HEADS);
        if (heads % kvHeads != 0) {
            throw fail("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        Integer defaultHeadDim = hidden % heads == 0 ? hidden / heads : null;
        if (!has("head_dim") && defaultHeadDim == null) {
            throw fail(
                    "head_dim", "absent, and num_attention_heads " + heads + " does not divide hidden_size " + hidden);
        }
        int headDim = intIn("head_dim", defaultHeadDim, 2, MAX_HEAD_DIM);
        if (headDim % 2 != 0) {
            throw fail("head_dim", "must be even for rotary embeddings, got " + headDim);
        }
        List<LayerType> types = layerTypes(layers);
        int block = intIn("block_size", 256, 1, MAX_BLOCK);
        int window = 0;
        if (has("sliding_window")) {
            window = intIn("sliding_window", null, 1, Integer.MAX_VALUE);
        }
        double eps = number("rms_norm_eps", 1e-5);
        if (!(eps > 0 && eps < 1)) throw fail("rms_norm_eps", "must be in (0, 1), got " + eps);

        JsonNode rope = root.get("rope_parameters");
        if (rope == null || !rope.isObject()) rope = root.get("rope_scaling");
        double theta = number("rope_theta", 10000.0);
        double partial = number("partial_rotary_factor", 1.0);
        if (rope != null && rope.isObject()) {
            if (rope.has("rope_type")
                    && !rope.get("rope_type").asText("default").equals("default")) {
                throw fail(
                        "rope_parameters.rope_type",
                        "only \"default\" RoPE is supported, got " + StrictJson.show(rope.get("rope_type")));
            }
            if (rope.has("rope_theta")) theta = rope.get("rope_theta").asDouble();
            if (rope.has("partial_rotary_factor"))
                partial = rope.get("partial_rotary_factor").asDouble();
        }
        if (!(theta > 1) || !Double.isFinite(theta)) throw fail("rope_theta", "must be finite and > 1, got " + theta);
        int rotary;
        if (has("rotary_dim")) {
            rotary = intIn("rotary_dim", null, 2, headDim);
        } else {
            if (!(partial > 0 && partial <= 1))
                throw fail("partial_rotary_factor", "must be in (0, 1], got " + partial);
            rotary = (int) Math.round(headDim * partial);
        }
        if (rotary % 2 != 0 || rotary < 2) {
            throw fail("rotary_dim", "must be even and at least 2, got " + rotary);
        }
        int experts = intIn("num_local_experts", null, 1, MAX_EXPERTS);
        int topK = intIn("num_experts_per_tok", 2, 1, experts);
        boolean tied = root.has("tie_word_embeddings")
                && root.get("tie_word_embeddings").asBoolean(false);

        double linA = factor("linear_attn_alpha_factor", "layernorm_linear_attention_alpha");
        double linB = factor("linear_attn_beta_factor", "layernorm_linear_attention_beta");
        double fullA = factor("full_attn_alpha_factor", "layernorm_full_attention_alpha");
        double fullB = factor("full_attn_beta_factor", "layernorm_full_attention_beta");
        double mlpA = factor("mlp_alpha_factor", "layernorm_mlp_alpha");
        double mlpB = factor("mlp_beta_factor", "layernorm_mlp_beta");

        // every tensor must fit a Java array: refuse before anything is read
        checkElements("embed_tokens [vocab_size, hidden_size]", (long) vocab * hidden);
        checkElements("qkv_proj [3 * heads * head_dim, hidden_size]", 3L * heads * headDim * hidden);
        checkElements("experts [2 * intermediate_size, hidden_size]", 2L * inter * hidden);
        checkElements("lightning state [heads, head_dim, head_dim]", (long) heads * headDim * headDim);
        if (window > 0) {
            checkElements("window cache [sliding_window, kv_heads * head_dim]", (long) window * kvHeads * headDim);
        }
        HistoryConfig history = history();
        ModelConfig cfg = new ModelConfig(
                vocab, hidden, inter, layers, heads, kvHeads, headDim, types, block, window, eps, theta, rotary,
                experts, topK, tied, linA, linB, fullA, fullB, mlpA, mlpB, history);
        if (window > 0) {
            checkStateSize(source, cfg, window, "sliding_window " + window);
        }
        return cfg;
    }

    /**
     * Linnet's own key: {@code "linnet_history": {}} mixes the default history predictor with the network;
     * {@code orders} ([[order, slot bits, width], ...]), {@code sparse} ([[[offset, ...], slot bits, width], ...];
     * [] for none) and the scalar fields override the defaults. Absent or
     * null: the network alone. Other libraries reading the config ignore the key.
     */
    private HistoryConfig history() {
        JsonNode h = root.get("linnet_history");
        if (h == null || h.isNull()) return null;
        if (!h.isObject()) throw fail("linnet_history", "must be an object, got " + StrictJson.show(h));
        HistoryConfig d = HistoryConfig.DEFAULT;
        java.util.Set<String> known = java.util.Set.of(
                "orders",
                "sparse",
                "match_order",
                "ring_bits",
                "index_bits",
                "sticky_misses",
                "concentration",
                "discount",
                "mixer_rate");
        for (var it = h.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) throw fail("linnet_history", "has an unknown field " + "\"" + f + "\"");
        }
        List<HistoryConfig.ContextOrder> orders = d.orders();
        JsonNode o = h.get("orders");
        if (o != null && !o.isNull()) {
            if (!o.isArray() || o.size() == 0 || o.size() > 64) {
                throw fail(
                        "linnet_history.orders",
                        "must be a list of 1 to 64 [order, slot bits, width], got " + StrictJson.show(o));
            }
            orders = new ArrayList<>();
            for (JsonNode e : o) {
                if (!e.isArray()
                        || e.size() != 3
                        || !e.get(0).isInt()
                        || !e.get(1).isInt()
                        || !e.get(2).isInt()) {
                    throw fail(
                            "linnet_history.orders",
                            "entries must be [order, slot bits, width], got " + StrictJson.show(e));
                }
                orders.add(new HistoryConfig.ContextOrder(
                        e.get(0).asInt(), e.get(1).asInt(), e.get(2).asInt()));
            }
        }
        List<HistoryConfig.SparseContext> sparse = d.sparse();
        JsonNode sp = h.get("sparse");
        if (sp != null && !sp.isNull()) {
            if (!sp.isArray() || sp.size() > 16) {
                throw fail(
                        "linnet_history.sparse",
                        "must be a list of at most 16 [[offset, ...], slot bits, width], got " + StrictJson.show(sp));
            }
            sparse = new ArrayList<>();
            for (JsonNode e : sp) {
                if (!e.isArray()
                        || e.size() != 3
                        || !e.get(0).isArray()
                        || e.get(0).size() < 1
                        || e.get(0).size() > 8
                        || !e.get(1).isInt()
                        || !e.get(2).isInt()) {
                    throw fail(
                            "linnet_history.sparse",
                            "entries must be [[1 to 8 offsets], slot bits, width], got " + StrictJson.show(e));
                }
                List<Integer> offsets = new ArrayList<>();
                for (JsonNode off : e.get(0)) {
                    if (!off.isInt()) {
                        throw fail("linnet_history.sparse", "offsets must be integers, got " + StrictJson.show(e));
                    }
                    offsets.add(off.asInt());
                }
                sparse.add(new HistoryConfig.SparseContext(
                        offsets, e.get(1).asInt(), e.get(2).asInt()));
            }
        }
        try {
            return new HistoryConfig(
                    orders,
                    sparse,
                    historyInt(h, "match_order", d.matchOrder()),
                    historyInt(h, "ring_bits", d.ringBits()),
                    historyInt(h, "index_bits", d.indexBits()),
                    historyInt(h, "sticky_misses", d.stickyMisses()),
                    historyNumber(h, "concentration", d.concentration()),
                    historyNumber(h, "discount", d.discount()),
                    historyNumber(h, "mixer_rate", d.mixerRate()));
        } catch (IllegalArgumentException e) {
            throw fail("linnet_history", e.getMessage());
        }
    }

    private int historyInt(JsonNode h, String name, int dflt) {
        JsonNode n = h.get(name);
        if (n == null || n.isNull()) return dflt;
        if (!n.isInt()) throw fail("linnet_history." + name, "must be an integer, got " + StrictJson.show(n));
        return n.asInt();
    }

    private double historyNumber(JsonNode h, String name, double dflt) {
        JsonNode n = h.get(name);
        if (n == null || n.isNull()) return dflt;
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw fail("linnet_history." + name, "must be a finite number, got " + StrictJson.show(n));
        }
        return n.asDouble();
    }

    private List<LayerType> layerTypes(int layers) {
        List<LayerType> types = new ArrayList<>();
        JsonNode lt = root.get("layer_types");
        JsonNode al = root.get("attn_type_list");
        if (lt != null && lt.isArray()) {
            for (JsonNode n : lt) {
                String s = n.asText();
                switch (s) {
                    case "linear_attention" -> types.add(LayerType.LINEAR);
                    case "full_attention", "sliding_attention" -> types.add(LayerType.SOFTMAX);
                    default ->
                        throw fail(
                                "layer_types",
                                "unknown layer type " + StrictJson.show(n)
                                        + " (expected linear_attention or full_attention)");
                }
            }
            if (types.size() != layers) {
                throw fail("layer_types", "has " + types.size() + " entries for num_hidden_layers " + layers);
            }
        } else if (al != null && al.isArray()) {
            for (JsonNode n : al) {
                if (!n.isInt() || (n.asInt() != 0 && n.asInt() != 1)) {
                    throw fail(
                            "attn_type_list",
                            "entries must be 0 (lightning) or 1 (softmax), got " + StrictJson.show(n));
                }
                types.add(n.asInt() == 0 ? LayerType.LINEAR : LayerType.SOFTMAX);
            }
            if (types.size() != layers) {
                throw fail("attn_type_list", "has " + types.size() + " entries for num_hidden_layers " + layers);
            }
        } else {
            throw fail("layer_types", "absent (neither layer_types nor attn_type_list is given)");
        }
        return types;
    }

    private double factor(String name, String originalName) {
        double v = has(name) ? number(name, 1.0) : number(originalName, 1.0);
        if (!Double.isFinite(v)) throw fail(name, "must be finite, got " + v);
        return v;
    }

    /**
     * Refuses a config whose per-stream state would exceed {@link ModelConfig#MAX_STATE_BYTES} with a ring of
     * {@code window} positions; {@code windowSource} says where the window comes from, for the message.
     */
    public static void checkStateSize(String source, ModelConfig cfg, int window, String windowSource) {
        long bytes = cfg.stateBytes(window);
        if (bytes > ModelConfig.MAX_STATE_BYTES) {
            throw new ConfigException(source + ": the per-stream state would take "
                    + (bytes == Long.MAX_VALUE ? "more than 2^63" : Long.toString(bytes)) + " bytes with "
                    + windowSource
                    + " (" + cfg.countLayers(LayerType.LINEAR) + " lightning layers of " + cfg.numAttentionHeads()
                    + " x "
                    + cfg.headDim() + "^2 floats, " + cfg.countLayers(LayerType.SOFTMAX) + " softmax layers of 2 x "
                    + window
                    + " x " + cfg.kvWidth() + "), more than the limit of " + ModelConfig.MAX_STATE_BYTES + " bytes");
        }
    }

    private void checkElements(String what, long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new ConfigException(
                    source + ": " + what + " would hold " + n + " elements, more than a Java array can");
        }
    }

    private boolean has(String name) {
        JsonNode n = root.get(name);
        return n != null && !n.isNull();
    }

    private String text(String name, String dflt) {
        JsonNode n = root.get(name);
        return n == null || n.isNull() ? dflt : n.asText();
    }

    private double number(String name, double dflt) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return dflt;
        if (!n.isNumber()) throw fail(name, "must be a number, got " + StrictJson.show(n));
        double v = n.asDouble();
        if (!Double.isFinite(v)) throw fail(name, "must be a finite number, got " + StrictJson.show(n));
        return v;
    }

    private int intIn(String name, Integer dflt, int min, int max) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            if (dflt == null) throw fail(name, "is required");
            return dflt;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw fail(name, "must be an integer, got " + StrictJson.show(n));
        }
        double v = n.asDouble();
        if (v < min || v > max) {
            throw fail(name, "must be in [" + min + ", " + max + "], got " + StrictJson.show(n));
        }
        return (int) v;
    }

    private ConfigException fail(String field, String what) {
        return new ConfigException(source + ": " + field + " " + what);
    }
}
