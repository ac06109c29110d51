package dev.linnet.flink.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes sample lines to the input topic as a log shipper would (key = stream, value = the line), and
 * optionally three malformed records that show the dead-letter topic at work: an empty value, a value that is
 * not UTF-8, and a line without a key.
 *
 * <p>Event times are the lines' own, shifted so that the last line is now (time gaps stay as they were; a
 * line without a time takes its predecessor's); a sample without times gets one second per line ending now.
 * Recent times matter: the broker's time-based retention would delete records stamped long ago.
 */
final class SampleFeeder {

    /**
     * What was sent: all records, how many of them the job will drop rather than score, and which sample line
     * each sent record is, by {@code partition@offset}.
     */
    record Sent(int records, int droppedExpected, Map<String, SampleLog.Line> lines) {}

    private SampleFeeder() {}

    static Sent send(String bootstrapServers, String topic, SampleLog sample, boolean malformed) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        List<SampleLog.Line> lines = sample.lines();
        long[] times = eventTimes(lines, System.currentTimeMillis());
        int records = 0;
        int dropped = 0;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < lines.size(); i++) {
                SampleLog.Line line = lines.get(i);
                sent.add(producer.send(
                        new ProducerRecord<>(topic, null, times[i], utf8(line.key()), utf8(line.text()))));
                records++;
                if (malformed && i == lines.size() / 2) {
                    String key = line.key();
                    producer.send(new ProducerRecord<>(topic, null, times[i], utf8(key), new byte[0]));
                    byte[] bad = utf8("WARN checksum mismatch in block ");
                    byte[] withBadBytes = new byte[bad.length + 3];
                    System.arraycopy(bad, 0, withBadBytes, 0, bad.length);
                    withBadBytes[bad.length] = (byte) 0xC3;
                    withBadBytes[bad.length + 1] = (byte) 0x28;
                    withBadBytes[bad.length + 2] = (byte) 0xFF;
                    producer.send(new ProducerRecord<>(topic, null, times[i], utf8(key), withBadBytes));
                    producer.send(new ProducerRecord<>(
                            topic, null, times[i], null, utf8("INFO a line that arrived without a key")));
                    records += 3;
                    dropped += 1;
                }
            }
            producer.flush();
        }
        Map<String, SampleLog.Line> byCoordinates = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            RecordMetadata m = sent.get(i).get();
            byCoordinates.put(m.partition() + "@" + m.offset(), lines.get(i));
        }
        return new Sent(records, dropped, byCoordinates);
    }

    /** The lines' times moved so that the latest is {@code now}; one second apart where no line has a time. */
    static long[] eventTimes(List<SampleLog.Line> lines, long now) {
        long[] t = new long[lines.size()];
        long latest = Long.MIN_VALUE;
        for (SampleLog.Line l : lines) {
            if (l.timestamp() != null) {
                latest = Math.max(latest, l.timestamp());
            }
        }
        if (latest == Long.MIN_VALUE) {
            for (int i = 0; i < t.length; i++) {
                t[i] = now - 1000L * (t.length - 1 - i);
            }
            return t;
        }
        long shift = now - latest;
        Map<String, Long> previous = new HashMap<>();
        long earliest = Long.MAX_VALUE;
        for (SampleLog.Line l : lines) {
            if (l.timestamp() != null) {
                earliest = Math.min(earliest, l.timestamp());
            }
        }
        for (int i = 0; i < t.length; i++) {
            SampleLog.Line l = lines.get(i);
            Long own = l.timestamp();
            long time = own != null ? own + shift : previous.getOrDefault(l.key(), earliest + shift);
            previous.put(l.key(), time);
            t[i] = time;
        }
        return t;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
