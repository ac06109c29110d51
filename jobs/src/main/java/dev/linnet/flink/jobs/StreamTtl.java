package dev.linnet.flink.jobs;

import java.time.Duration;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * linnet.state.ttl on the jobs' own keyed state of a stream, as the scorer applies it to the model state:
 * processing time, counted from the last write, never returning an expired value. A key that has logged nothing
 * for this long is so forgotten as a whole, its history together with its model state.
 */
final class StreamTtl {

    private StreamTtl() {}

    /** {@code descriptor}, expiring after {@code ttl}; unchanged for a null {@code ttl} (kept for ever). */
    static <D extends StateDescriptor<?, ?>> D apply(D descriptor, Duration ttl) {
        if (ttl != null) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        return descriptor;
    }
}
