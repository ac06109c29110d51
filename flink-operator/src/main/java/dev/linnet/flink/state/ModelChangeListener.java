package dev.linnet.flink.state;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Told, during a restore, that the state was written under another model than the one the job runs now.
 * Registering one (see {@link StreamStateSerializer#resettingOnModelChange}) turns the restore's failure into
 * this call: the caller must then clear every restored stream state before reading any.
 */
@PublicEvolving
@FunctionalInterface
public interface ModelChangeListener {
    void restoredUnderAnotherModel(StateSchema restored, StateSchema current);
}
