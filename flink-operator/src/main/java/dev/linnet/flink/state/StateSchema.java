package dev.linnet.flink.state;

import dev.linnet.engine.history.HistoryConfig;
import dev.linnet.engine.history.HistoryState;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the stored form of a stream's state depends on: the model that made it (its fingerprint) and the
 * shapes of the state's parts, plus the precision values are written in. Small and serializable: it travels
 * inside the state serializer and its snapshot, never the model's weights. It is everything the engine's
 * {@link StateCodec} needs, so a codec can be made wherever Flink needs to read state, without the model.
 *
 * @param modelFingerprint hex SHA-256 of the model's config and weights ({@link Model#fingerprint()})
 * @param linearLayers     lightning-attention layers, each with one state matrix
 * @param linearSize       numbers in one lightning layer's state ([heads, d, d])
 * @param windowLayers     softmax layers, each with a key ring and a value ring
 * @param window           positions each ring holds
 * @param kvWidth          numbers per position in a ring (kv heads times head size)
 * @param hidden           width of the final hidden state kept as the stream's embedding
 * @param precision        how values are written (the codec reads values of either precision)
 * @param history          the model's history predictor, whose state each stream carries too; null for none
 */
@Internal
public record StateSchema(
        String modelFingerprint,
        int linearLayers,
        int linearSize,
        int windowLayers,
        int window,
        int kvWidth,
        int hidden,
        StatePrecision precision,
        HistoryConfig history)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A schema without a history predictor. */
    public StateSchema(
            String modelFingerprint,
            int linearLayers,
            int linearSize,
            int windowLayers,
            int window,
            int kvWidth,
            int hidden,
            StatePrecision precision) {
        this(modelFingerprint, linearLayers, linearSize, windowLayers, window, kvWidth, hidden, precision, null);
    }

    public StateSchema {
        if (modelFingerprint == null || !modelFingerprint.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(
                    "a model fingerprint is 64 hex digits (SHA-256), got " + modelFingerprint);
        }
        Objects.requireNonNull(precision, "precision");
        requireNonNegative("linearLayers", linearLayers);
        requireNonNegative("linearSize", linearSize);
        requireNonNegative("windowLayers", windowLayers);
        requireNonNegative("window", window);
        requireNonNegative("kvWidth", kvWidth);
        if (hidden <= 0) {
            throw new IllegalArgumentException("hidden must be positive, got " + hidden);
        }
        if (windowLayers > 0 && (window == 0 || kvWidth == 0)) {
            throw new IllegalArgumentException(
                    "softmax layers need a window and a kv width, got window " + window + " and kvWidth " + kvWidth);
        }
        if ((long) window * kvWidth > Integer.MAX_VALUE || (long) linearSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("state part too large for one array");
        }
    }

    /** The schema of the states {@code model} makes, stored at {@code precision}. */
    public static StateSchema of(Model model, StatePrecision precision) {
        StreamState probe = model.newState();
        return new StateSchema(
                model.fingerprint(),
                probe.linearLayers(),
                probe.linearLayers() == 0 ? 0 : probe.linear(0).length,
                probe.windowLayers(),
                probe.window(),
                probe.windowLayers() == 0 || probe.window() == 0 ? 0 : probe.keys(0).length / probe.window(),
                probe.lastHidden().length,
                precision,
                model.config().history());
    }

    /** The engine's codec for this schema's states (a new one each call: codecs are cheap, not serializable). */
    public StateCodec codec() {
        return new StateCodec(modelFingerprint, newState(), precision);
    }

    /** An upper bound of the bytes of one encoded state, whatever its precision and age (for input checks). */
    long maxEncodedBytes() {
        return new StateCodec(modelFingerprint, newState(), StatePrecision.FLOAT32).encodedSize(Long.MAX_VALUE);
    }

    /** An empty state of this shape (what a stream starts from). */
    public StreamState newState() {
        return new StreamState(
                linearLayers,
                linearSize,
                windowLayers,
                window,
                kvWidth,
                hidden,
                history == null ? null : new HistoryState(history));
    }

    public StateSchema withPrecision(StatePrecision p) {
        return new StateSchema(
                modelFingerprint, linearLayers, linearSize, windowLayers, window, kvWidth, hidden, p, history);
    }

    /** Same model and same shapes: values written under one are valid under the other, whatever the precision. */
    public boolean sameModelAs(StateSchema other) {
        return modelFingerprint.equals(other.modelFingerprint)
                && linearLayers == other.linearLayers
                && linearSize == other.linearSize
                && windowLayers == other.windowLayers
                && window == other.window
                && kvWidth == other.kvWidth
                && hidden == other.hidden
                && Objects.equals(history, other.history);
    }

    /** What differs between the model that wrote some state ({@code restored}) and this one, for error messages. */
    public List<String> differencesFrom(StateSchema restored) {
        List<String> d = new ArrayList<>();
        if (!modelFingerprint.equals(restored.modelFingerprint)) {
            d.add("model fingerprint " + shortFingerprint(restored.modelFingerprint) + " -> "
                    + shortFingerprint(modelFingerprint));
        }
        addIfDifferent(d, "lightning layers", restored.linearLayers, linearLayers);
        addIfDifferent(d, "lightning state size", restored.linearSize, linearSize);
        addIfDifferent(d, "softmax layers", restored.windowLayers, windowLayers);
        addIfDifferent(d, "window", restored.window, window);
        addIfDifferent(d, "kv width", restored.kvWidth, kvWidth);
        addIfDifferent(d, "hidden size", restored.hidden, hidden);
        if (!Objects.equals(history, restored.history)) {
            d.add("history predictor " + describe(restored.history) + " -> " + describe(history));
        }
        return d;
    }

    private static String describe(HistoryConfig h) {
        return h == null ? "none" : h.canonical();
    }

    /** Does {@code s} have exactly this schema's shapes? */
    public boolean fits(StreamState s) {
        if ((s.history() == null ? history != null : !s.history().config().equals(history))
                || s.linearLayers() != linearLayers
                || s.windowLayers() != windowLayers
                || s.window() != window
                || s.lastHidden().length != hidden) {
            return false;
        }
        for (int i = 0; i < linearLayers; i++) {
            if (s.linear(i).length != linearSize) {
                return false;
            }
        }
        for (int i = 0; i < windowLayers; i++) {
            if (s.keys(i).length != window * kvWidth || s.values(i).length != window * kvWidth) {
                return false;
            }
        }
        return true;
    }

    public String describe() {
        return "model " + shortFingerprint(modelFingerprint) + " (lightning layers " + linearLayers + " x " + linearSize
                + ", softmax layers " + windowLayers + " x window " + window + " x kv width " + kvWidth + ", hidden "
                + hidden + (history == null ? "" : ", with a history predictor") + ", " + precision + ")";
    }

    void write(DataOutputView out) throws IOException {
        out.writeUTF(modelFingerprint);
        out.writeInt(linearLayers);
        out.writeInt(linearSize);
        out.writeInt(windowLayers);
        out.writeInt(window);
        out.writeInt(kvWidth);
        out.writeInt(hidden);
        out.writeUTF(precision.name());
        // from snapshot version 2 on: the history predictor, if any
        out.writeBoolean(history != null);
        if (history != null) {
            out.writeInt(history.orders().size());
            for (HistoryConfig.ContextOrder o : history.orders()) {
                out.writeInt(o.order());
                out.writeInt(o.slotBits());
                out.writeInt(o.width());
            }
            out.writeInt(history.matchOrder());
            out.writeInt(history.ringBits());
            out.writeInt(history.indexBits());
            out.writeInt(history.stickyMisses());
            out.writeDouble(history.concentration());
            out.writeDouble(history.discount());
            out.writeDouble(history.mixerRate());
            // from snapshot version 3 on: the sparse contexts
            out.writeInt(history.sparse().size());
            for (HistoryConfig.SparseContext c : history.sparse()) {
                out.writeInt(c.offsets().size());
                for (int off : c.offsets()) out.writeInt(off);
                out.writeInt(c.slotBits());
                out.writeInt(c.width());
            }
        }
    }

    /**
     * Reads what {@link #write} wrote, as snapshot {@code version} (1: before histories existed; 2: before their
     * sparse contexts).
     */
    static StateSchema read(DataInputView in, int version) throws IOException {
        String fingerprint = in.readUTF();
        int linearLayers = in.readInt();
        int linearSize = in.readInt();
        int windowLayers = in.readInt();
        int window = in.readInt();
        int kvWidth = in.readInt();
        int hidden = in.readInt();
        String precision = in.readUTF();
        try {
            HistoryConfig history = version >= 2 && in.readBoolean() ? readHistory(in, version) : null;
            return new StateSchema(
                    fingerprint,
                    linearLayers,
                    linearSize,
                    windowLayers,
                    window,
                    kvWidth,
                    hidden,
                    StatePrecision.valueOf(precision),
                    history);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt Linnet state serializer snapshot: " + e.getMessage(), e);
        }
    }

    private static HistoryConfig readHistory(DataInputView in, int version) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > 64) throw new IllegalArgumentException("a history of " + n + " context orders");
        List<HistoryConfig.ContextOrder> orders = new ArrayList<>();
        for (int i = 0; i < n; i++)
            orders.add(new HistoryConfig.ContextOrder(in.readInt(), in.readInt(), in.readInt()));
        int matchOrder = in.readInt(), ringBits = in.readInt(), indexBits = in.readInt(), sticky = in.readInt();
        double concentration = in.readDouble(), discount = in.readDouble(), rate = in.readDouble();
        List<HistoryConfig.SparseContext> sparse = new ArrayList<>();
        if (version >= 3) {
            int m = in.readInt();
            if (m < 0 || m > 16) throw new IllegalArgumentException("a history of " + m + " sparse contexts");
            for (int i = 0; i < m; i++) {
                int offsets = in.readInt();
                if (offsets < 1 || offsets > 8)
                    throw new IllegalArgumentException("a sparse context of " + offsets + " offsets");
                List<Integer> off = new ArrayList<>();
                for (int o = 0; o < offsets; o++) off.add(in.readInt());
                sparse.add(new HistoryConfig.SparseContext(off, in.readInt(), in.readInt()));
            }
        }
        return new HistoryConfig(
                orders, sparse, matchOrder, ringBits, indexBits, sticky, concentration, discount, rate);
    }

    private static void requireNonNegative(String what, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + v);
        }
    }

    private static void addIfDifferent(List<String> d, String what, int before, int now) {
        if (before != now) {
            d.add(what + " " + before + " -> " + now);
        }
    }

    private static String shortFingerprint(String f) {
        return f.length() > 12 ? f.substring(0, 12) + "…" : f;
    }
}
