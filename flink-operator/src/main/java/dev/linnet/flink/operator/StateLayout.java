package dev.linnet.flink.operator;

import org.apache.flink.annotation.PublicEvolving;

/** How the scorer keeps a stream's state in Flink keyed state ({@code linnet.state.layout}). */
@PublicEvolving
public enum StateLayout {
    /** One value per key, rewritten whole after every flush in which the stream advanced (the default). */
    WHOLE,
    /**
     * Pages per key: a flush writes the head (lightning matrices, last hidden state, the history's small parts) and
     * only the ring blocks and history pages its records changed, a fraction of the whole state.
     */
    PAGED
}
