package dev.linnet.flink.cluster.probe;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per key: how many records came before and a 64-bit FNV-1a hash chained over all of them, in order. The output
 * {@code partition/offset|key|sequence|hash|line} is a pure function of the key's history, so a run with failures
 * and rescales must produce exactly the outputs of an undisturbed run.
 */
public final class KeyedHistoryFunction
        extends KeyedProcessFunction<String, Tuple2<String, String>, Tuple2<String, String>> {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private transient ValueState<Long> sequence;
    private transient ValueState<Long> hash;

    @Override
    public void open(OpenContext context) {
        sequence = getRuntimeContext().getState(new ValueStateDescriptor<>("sequence", Types.LONG));
        hash = getRuntimeContext().getState(new ValueStateDescriptor<>("history-hash", Types.LONG));
    }

    @Override
    public void processElement(Tuple2<String, String> in, Context ctx, Collector<Tuple2<String, String>> out)
            throws Exception {
        int bar = in.f1.indexOf('|');
        String position = in.f1.substring(0, bar);
        String line = in.f1.substring(bar + 1);
        long seq = sequence.value() == null ? 0 : sequence.value();
        long h = hash.value() == null ? FNV_OFFSET : hash.value();
        for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        sequence.update(seq + 1);
        hash.update(h);
        out.collect(Tuple2.of(in.f0, position + "|" + in.f0 + "|" + seq + "|" + Long.toHexString(h) + "|" + line));
    }

    /** The hash after these lines, as the function computes it (for the test's own expectation). */
    public static long historyHash(Iterable<String> lines) {
        long h = FNV_OFFSET;
        for (String line : lines) {
            for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * FNV_PRIME;
            }
        }
        return h;
    }
}
