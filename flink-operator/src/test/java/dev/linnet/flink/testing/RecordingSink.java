package dev.linnet.flink.testing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Keeps every element it receives, grouped by a key of the test's choosing: an element replayed after a restore
 * shows up as a further copy under its key.
 *
 * <p>Flink's writers run on deserialized copies of this sink (in a MiniCluster in this JVM), so the elements
 * are kept in a static registry under this instance's id, where {@link #recorded()} reads them; two instances
 * never share it.
 */
public final class RecordingSink<T, K> implements Sink<T> {

    private static final Map<String, Map<Object, List<Object>>> RECORDED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final SerializableFunction<T, K> key;

    public RecordingSink(SerializableFunction<T, K> key) {
        this.key = key;
        RECORDED.put(id, new ConcurrentHashMap<>());
    }

    /** Every element received so far, per key, in the order each key's copies arrived. */
    @SuppressWarnings("unchecked")
    public Map<K, List<T>> recorded() {
        return (Map<K, List<T>>) (Map<?, ?>) RECORDED.get(id);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Map<Object, List<Object>> recorded = RECORDED.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                recorded.computeIfAbsent(key.apply(element), k -> new CopyOnWriteArrayList<>())
                        .add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
