package dev.linnet.flink.testing;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes elements on unchanged, but fails the first attempt of subtask 0 once: at the first element, from the
 * {@code failAfter}-th it has seen on, that comes after a completed checkpoint. The job then restores from that
 * checkpoint and replays what followed it.
 *
 * <p>Flink runs deserialized copies of this function (in a MiniCluster in this JVM), so what they observe is
 * kept in a static registry under this instance's id, where {@link #failed()} reads it; two instances never
 * share it.
 */
public final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {

    /** What the copies of one instance observed: whether the failure happened, and the checkpoints completed. */
    private static final class Observed {
        final AtomicBoolean failed = new AtomicBoolean();
        final AtomicLong checkpoints = new AtomicLong();
    }

    private static final Map<String, Observed> OBSERVED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final int failAfter;
    private transient boolean mayFail;
    private transient int seen;

    /** Fails once it has seen {@code failAfter} elements (in subtask 0) and a checkpoint has completed. */
    public FailOnceAfterCheckpoint(int failAfter) {
        if (failAfter < 1) {
            throw new IllegalArgumentException("failAfter must be at least 1, got " + failAfter);
        }
        this.failAfter = failAfter;
        OBSERVED.put(id, new Observed());
    }

    /** Whether the injected failure happened. */
    public boolean failed() {
        return OBSERVED.get(id).failed.get();
    }

    @Override
    public void open(OpenContext context) {
        mayFail = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
    }

    @Override
    public T map(T element) {
        if (mayFail && ++seen >= failAfter && OBSERVED.get(id).checkpoints.get() > 0) {
            OBSERVED.get(id).failed.set(true);
            throw new IllegalStateException("injected failure after " + seen + " elements");
        }
        return element;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        OBSERVED.get(id).checkpoints.incrementAndGet();
    }
}
