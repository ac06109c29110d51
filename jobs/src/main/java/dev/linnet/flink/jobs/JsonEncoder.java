package dev.linnet.flink.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes each record as a JSON value (its public fields; nulls left out) with its key, right before the sink, and
 * checks that the sink can take it: at most {@code maxRecordBytes} of key and value. A record that cannot be
 * written, or would be too large, becomes a dead letter ({@link DeadLetterReason#OUTPUT_FAILED}) instead of
 * failing the sink: on the {@link ParseLogLines#DEAD_LETTERS} side output, or, for the dead letters themselves,
 * in their place, as a dead letter cut to its certain part ({@link DeadLetters#minimal}).
 */
public final class JsonEncoder<T> extends ProcessFunction<T, EncodedRecord> {

    private static final long serialVersionUID = 1L;

    /** What a record that could not be written leaves behind. */
    @FunctionalInterface
    public interface Failure<T> extends Serializable {
        DeadLetter deadLetter(T record, String detail);
    }

    private final SerializableFunction<T, String> key;
    private final Failure<T> failure;
    private final boolean deadLetterTopic;
    private final int maxRecordBytes;

    private transient ObjectMapper json;

    private JsonEncoder(
            SerializableFunction<T, String> key, Failure<T> failure, boolean deadLetterTopic, int maxRecordBytes) {
        this.key = key;
        this.failure = failure;
        this.deadLetterTopic = deadLetterTopic;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** For an output topic: records that cannot be written go to the dead-letter side output. */
    public static <T> JsonEncoder<T> output(
            SerializableFunction<T, String> key, Failure<T> failure, int maxRecordBytes) {
        return new JsonEncoder<>(key, failure, false, maxRecordBytes);
    }

    /** For the dead-letter topic: a dead letter that cannot be written is replaced by its certain part. */
    public static JsonEncoder<DeadLetter> deadLetters(int maxRecordBytes) {
        return new JsonEncoder<>(d -> d.key, DeadLetters::minimal, true, maxRecordBytes);
    }

    /** The mapper the jobs write their records with (also used by tests and the embedded run to read them). */
    public static ObjectMapper mapper() {
        return new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    @Override
    public void open(OpenContext context) {
        json = mapper();
    }

    @Override
    public void processElement(T element, Context ctx, Collector<EncodedRecord> out) throws Exception {
        String problem;
        try {
            EncodedRecord r = encode(element, key.apply(element));
            if (r.size() <= maxRecordBytes) {
                out.collect(r);
                return;
            }
            problem = "the " + element.getClass().getSimpleName() + " takes " + r.size() + " bytes as JSON, more "
                    + "than the " + maxRecordBytes + " a record of the sink may have";
        } catch (Exception e) { // JsonProcessingException, or a RuntimeException of a getter or of the key
            problem = "the " + element.getClass().getSimpleName() + " could not be written as JSON: "
                    + DeadLetters.describe(e);
        }
        DeadLetter d = failure.deadLetter(element, problem);
        if (!deadLetterTopic) {
            ctx.output(ParseLogLines.DEAD_LETTERS, d);
            return;
        }
        // the certain part of a dead letter is small and writable: failing here is a bug, and fails the task
        EncodedRecord r = encode(d, d.key);
        if (r.size() > maxRecordBytes) {
            throw new IllegalStateException("a minimal dead letter takes " + r.size() + " bytes: " + d);
        }
        out.collect(r);
    }

    private EncodedRecord encode(Object element, String k) throws Exception {
        return new EncodedRecord(
                k == null ? null : k.getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(element));
    }
}
