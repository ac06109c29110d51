package dev.linnet.flink.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a POJO as a JSON value (its public fields; nulls left out), keyed by the given function, to one topic,
 * with the record timestamp the given function picks (the event time the element is about; null lets Kafka
 * stamp it). Flink's own element timestamp is not used: a timer's output carries the timer's time, which may
 * be Long.MAX_VALUE at the end of a bounded input, and a broker refuses timestamps far in the future.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Long> timestamp;
    private transient ObjectMapper json;

    public JsonRecordSerializer(String topic, SerializableFunction<T, String> key, SerializableFunction<T, Long> timestamp) {
        this.topic = topic;
        this.key = key;
        this.timestamp = timestamp;
    }

    /** The mapper the jobs write their records with (also used by tests and the embedded run to read them). */
    public static ObjectMapper mapper() {
        return new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long flinkTimestamp) {
        if (json == null) {
            json = mapper();
        }
        byte[] value;
        try {
            value = json.writeValueAsBytes(element);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + element.getClass().getSimpleName() + " as JSON: "
                    + e.getMessage(), e);
        }
        String k = key.apply(element);
        Long t = timestamp.apply(element);
        return new ProducerRecord<>(topic, null, t == null || t < 0 ? null : t,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8), value);
    }
}
