package dev.linnet.engine.state;

import dev.linnet.engine.history.HistoryConfig;
import dev.linnet.engine.history.HistoryState;

/**
 * The shape of a model's stream states, taken from a template: what the stored forms ({@link StateCodec}, {@link
 * StatePages}) write and check, and how they make an empty state to read into.
 */
record StateShape(
        int linearLayers,
        int linearSize,
        int windowLayers,
        int window,
        int kvWidth,
        int hidden,
        HistoryConfig history) {

    static StateShape of(StreamState template) {
        int linearLayers = template.linearLayers();
        int windowLayers = template.windowLayers();
        int window = template.window();
        return new StateShape(
                linearLayers,
                linearLayers == 0 ? 0 : template.linear(0).length,
                windowLayers,
                window,
                windowLayers == 0 || window == 0 ? 0 : template.keys(0).length / window,
                template.lastHidden().length,
                template.history() == null ? null : template.history().config());
    }

    /** An empty state of this shape. */
    StreamState newState() {
        return new StreamState(
                linearLayers,
                linearSize,
                windowLayers,
                window,
                kvWidth,
                hidden,
                history == null ? null : new HistoryState(history));
    }

    /** @throws IllegalArgumentException when {@code s} is of another shape */
    void check(StreamState s) {
        if (s.linearLayers() != linearLayers
                || s.windowLayers() != windowLayers
                || s.window() != window
                || s.lastHidden().length != hidden
                || (linearLayers > 0 && s.linear(0).length != linearSize)
                || (windowLayers > 0 && s.keys(0).length != window * kvWidth)
                || (s.history() == null
                        ? history != null
                        : !s.history().config().equals(history))) {
            throw new IllegalArgumentException("state is of another model's shape than this codec's");
        }
    }

    /** The 32 bytes of a model's hex SHA-256 fingerprint. */
    static byte[] fingerprint(String hex) {
        byte[] fp = java.util.HexFormat.of().parseHex(hex);
        if (fp.length != 32) {
            throw new IllegalArgumentException("a model fingerprint is 32 bytes of hex, got " + hex);
        }
        return fp;
    }
}
