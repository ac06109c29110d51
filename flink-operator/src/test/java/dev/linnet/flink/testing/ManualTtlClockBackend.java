package dev.linnet.flink.testing;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.OperatorStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendFactory;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;

/**
 * The heap state backend with its state TTL on a clock the test sets ({@link #TIME}, milliseconds) instead of the
 * wall clock, for tests of state TTL on a MiniCluster (same JVM) that must not wait. Selected by its factory's class
 * name: {@code state.backend.type: dev.linnet.flink.testing.ManualTtlClockBackend$Factory}.
 */
public final class ManualTtlClockBackend implements StateBackend {
    private static final long serialVersionUID = 1L;

    /** The time every keyed state of this backend's jobs sees for TTL. */
    public static final AtomicLong TIME = new AtomicLong();

    /** The value of {@code state.backend.type} that selects this backend. */
    public static final String TYPE = Factory.class.getName();

    private final HashMapStateBackend heap = new HashMapStateBackend();

    @Override
    public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedStateBackendParameters<K> parameters)
            throws Exception {
        return heap.createKeyedStateBackend(
                new KeyedStateBackendParametersImpl<>(parameters).setTtlTimeProvider(TIME::get));
    }

    @Override
    public OperatorStateBackend createOperatorStateBackend(OperatorStateBackendParameters parameters) throws Exception {
        return heap.createOperatorStateBackend(parameters);
    }

    /** What Flink instantiates for {@code state.backend.type}. */
    public static final class Factory implements StateBackendFactory<ManualTtlClockBackend> {
        @Override
        public ManualTtlClockBackend createFromConfig(ReadableConfig config, ClassLoader classLoader) {
            return new ManualTtlClockBackend();
        }
    }
}
