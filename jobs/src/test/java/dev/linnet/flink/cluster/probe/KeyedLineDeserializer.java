package dev.linnet.flink.cluster.probe;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** (record key, "partition/offset|value"): the source position travels with the line, as log-anomaly's output carries it. */
final class KeyedLineDeserializer implements KafkaRecordDeserializationSchema<Tuple2<String, String>> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<String, String>> out) {
        if (record.key() == null || record.value() == null) {
            throw new IllegalArgumentException("the probe job needs a key and a value, got " + record.topic() + "/"
                    + record.partition() + "@" + record.offset() + " without");
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        String value = new String(record.value(), StandardCharsets.UTF_8);
        out.collect(Tuple2.of(key, record.partition() + "/" + record.offset() + "|" + value));
    }

    @Override
    public TypeInformation<Tuple2<String, String>> getProducedType() {
        return Types.TUPLE(Types.STRING, Types.STRING);
    }
}
