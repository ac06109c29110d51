package dev.linnet.flink.cluster.probe;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;

/** Keys a (key, payload) pair by its key. */
final class FirstField implements KeySelector<Tuple2<String, String>, String> {
    @Override
    public String getKey(Tuple2<String, String> value) {
        return value.f0;
    }
}
