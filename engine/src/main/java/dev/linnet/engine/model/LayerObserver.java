package dev.linnet.engine.model;

/** Sees the hidden states of a single-stream forward pass, for reference checks and debugging. */
@FunctionalInterface
public interface LayerObserver {
    /**
     * @param index  0 = embedding output, i = output of decoder layer i-1, numLayers = after the final norm
     * @param rows   [n, hidden] for the chunk's n tokens (a copy: the observer may keep it)
     */
    void hidden(int index, float[] rows);
}
