package dev.linnet.flink.operator;

import org.apache.flink.annotation.PublicEvolving;

/** What a restore does with stream states written under another model ({@code linnet.state.on-model-change}). */
@PublicEvolving
public enum ModelChangePolicy {
    /** Fail the job, naming both models (the default: a stream silently restarted loses its history). */
    FAIL,
    /** Start every restored stream from an empty state, counted in {@code linnet.numStreamsReset}. */
    RESET
}
