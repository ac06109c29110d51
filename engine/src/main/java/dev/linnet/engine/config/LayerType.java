package dev.linnet.engine.config;

/** The two kinds of token mixer a MiniMax decoder layer can have. */
public enum LayerType {
    /** Lightning attention: linear attention with a fixed per-head decay, state [heads, d, d]. */
    LINEAR,
    /** Softmax attention with grouped-query heads and RoPE over a bounded window. */
    SOFTMAX
}
