package dev.linnet.flink.cli;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes sample lines to the input topic as a log shipper would (key = stream, value = the line), with event
 * times one second apart ending now, and optionally three malformed records that show the dead-letter topic at
 * work: an empty value, a value that is not UTF-8, and a line without a key.
 */
final class SampleFeeder {

    /** What was sent: all records, and how many of them the job will drop rather than score. */
    record Sent(int records, int droppedExpected, long firstTimestamp, long lastTimestamp) {}

    private SampleFeeder() {}

    static Sent send(String bootstrapServers, String topic, SampleLog sample, boolean malformed) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        int n = sample.lines().size();
        long first = System.currentTimeMillis() - 1000L * n;
        int records = 0;
        int dropped = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                SampleLog.Line line = sample.lines().get(i);
                producer.send(new ProducerRecord<>(topic, null, first + 1000L * i, utf8(line.key()), utf8(line.text())));
                records++;
                if (malformed && i == n / 2) {
                    long t = first + 1000L * i;
                    String key = line.key();
                    producer.send(new ProducerRecord<>(topic, null, t, utf8(key), new byte[0]));
                    byte[] bad = utf8("WARN checksum mismatch in block \u0000\u0000 ");
                    byte[] withBadBytes = new byte[bad.length + 3];
                    System.arraycopy(bad, 0, withBadBytes, 0, bad.length);
                    withBadBytes[bad.length] = (byte) 0xC3;
                    withBadBytes[bad.length + 1] = (byte) 0x28;
                    withBadBytes[bad.length + 2] = (byte) 0xFF;
                    producer.send(new ProducerRecord<>(topic, null, t, utf8(key), withBadBytes));
                    producer.send(new ProducerRecord<>(topic, null, t, null, utf8("INFO a line that arrived without a key")));
                    records += 3;
                    dropped += 1;
                }
            }
            producer.flush();
        }
        return new Sent(records, dropped, first, first + 1000L * (n - 1));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
