package dev.linnet.flink.operator;

import java.time.Duration;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * linnet.state.ttl on a stream's keyed state: processing time, counted from the last write, never returning an
 * expired value. The scorer applies it to the model state, and a job to its own state of the same stream, so that a
 * key that has logged nothing for this long is forgotten as a whole, its history together with its model state.
 */
@Internal
public final class StreamTtl {

    private StreamTtl() {}

    /** {@code descriptor}, expiring after {@code ttl}; unchanged for a null {@code ttl} (kept for ever). */
    public static <D extends StateDescriptor<?, ?>> D apply(D descriptor, Duration ttl) {
        if (ttl != null) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        return descriptor;
    }
}
