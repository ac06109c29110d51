package dev.linnet.engine.state;

import dev.linnet.engine.history.HistoryState;
import java.util.Arrays;

/**
 * Everything a stream's future depends on, of a fixed size whatever its length:
 * per lightning layer one [heads, d, d] matrix, per softmax layer a ring of the last {@code window} keys
 * and values, the number of tokens seen (RoPE positions continue from it), and the final hidden state of
 * the last token (the stream's embedding, and what predicts its next token); and, for a model with a history
 * predictor, the stream's {@link HistoryState}.
 *
 * <p>The arrays are exposed for the model and the codec; callers treat a state as opaque.
 */
public final class StreamState {
    private long tokensSeen;
    private final float[][] linear;
    private final float[][] keys;
    private final float[][] values;
    private final float[] lastHidden;
    private final int window;
    private final HistoryState history;

    /**
     * An empty state of the given shape: its callers take the shape from a loaded model, whose config bounds it
     * ({@code ModelConfig.MAX_STATE_BYTES}); a shape no array can hold is refused here, not by a negative size.
     */
    public StreamState(int linearLayers, int linearSize, int windowLayers, int window, int kvWidth, int hidden) {
        this(linearLayers, linearSize, windowLayers, window, kvWidth, hidden, null);
    }

    /** As the other constructor, with the stream's history ({@code null} for a model without one). */
    public StreamState(
            int linearLayers,
            int linearSize,
            int windowLayers,
            int window,
            int kvWidth,
            int hidden,
            HistoryState history) {
        if ((linearLayers | linearSize | windowLayers | window | kvWidth | hidden) < 0
                || (long) window * kvWidth > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("no stream state has the shape [lightning layers " + linearLayers
                    + ", state size " + linearSize + ", softmax layers " + windowLayers + ", window " + window
                    + ", kv width " + kvWidth + ", hidden " + hidden + "]");
        }
        this.linear = new float[linearLayers][linearSize];
        this.keys = new float[windowLayers][window * kvWidth];
        this.values = new float[windowLayers][window * kvWidth];
        this.lastHidden = new float[hidden];
        this.window = window;
        this.history = history;
    }

    private StreamState(StreamState o) {
        this.tokensSeen = o.tokensSeen;
        this.linear = deepCopy(o.linear);
        this.keys = deepCopy(o.keys);
        this.values = deepCopy(o.values);
        this.lastHidden = o.lastHidden.clone();
        this.window = o.window;
        this.history = o.history == null ? null : o.history.copy();
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    /** An independent copy (sampling runs on copies, leaving the stream's state untouched). */
    public StreamState copy() {
        return new StreamState(this);
    }

    public long tokensSeen() {
        return tokensSeen;
    }

    public void setTokensSeen(long n) {
        if (n < 0) throw new IllegalArgumentException("tokens seen must be >= 0, got " + n);
        this.tokensSeen = n;
    }

    /** Lightning layer i's [heads, d, d] state (i counts lightning layers only). */
    public float[] linear(int i) {
        return linear[i];
    }

    public int linearLayers() {
        return linear.length;
    }

    /** Softmax layer i's key ring [window, kvHeads * d], entry p % window holding position p. */
    public float[] keys(int i) {
        return keys[i];
    }

    public float[] values(int i) {
        return values[i];
    }

    public int windowLayers() {
        return keys.length;
    }

    public int window() {
        return window;
    }

    /** The final (normalised) hidden state after the last token; zeros before the first. */
    public float[] lastHidden() {
        return lastHidden;
    }

    /** The stream's history predictor's state, or null when the model has none. */
    public HistoryState history() {
        return history;
    }

    /** Exact equality of every number, for determinism tests. */
    public boolean sameAs(StreamState o) {
        return tokensSeen == o.tokensSeen
                && window == o.window
                && Arrays.deepEquals(linear, o.linear)
                && Arrays.deepEquals(keys, o.keys)
                && Arrays.deepEquals(values, o.values)
                && Arrays.equals(lastHidden, o.lastHidden)
                && (history == null ? o.history == null : o.history != null && history.sameAs(o.history));
    }

    /** Bytes of the numbers held in memory (float32, and the history's), not of the encoded form. */
    public long memoryBytes() {
        long n = lastHidden.length;
        for (float[] a : linear) n += a.length;
        for (float[] a : keys) n += a.length;
        for (float[] a : values) n += a.length;
        return 4 * n + 8 + (history == null ? 0 : history.memoryBytes());
    }
}
