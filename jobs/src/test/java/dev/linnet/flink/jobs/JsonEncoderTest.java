package dev.linnet.flink.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** What reaches the sinks is always within their record size; what cannot be written becomes a dead letter. */
class JsonEncoderTest {

    private final List<EncodedRecord> written = new ArrayList<>();
    private final List<DeadLetter> sideOutput = new ArrayList<>();

    @Test
    void anOutputTooLargeForTheSinkBecomesADeadLetter() throws Exception {
        JsonEncoder<AnomalyRecord> encoder = JsonEncoder.output(r -> r.key, DeadLetters::outputFailed, 2000);
        encoder.open(DefaultOpenContext.INSTANCE);
        AnomalyRecord small = record("short line");
        AnomalyRecord large = record("x".repeat(5000));
        encode(encoder, small);
        encode(encoder, large);
        assertEquals(1, written.size());
        assertEquals("k", new String(written.get(0).key));
        assertEquals(1, sideOutput.size());
        DeadLetter d = sideOutput.get(0);
        assertEquals(DeadLetterReason.OUTPUT_FAILED, d.reason);
        assertEquals("scored-not-reported", d.action);
        assertEquals(7, d.offset);
        assertTrue(d.detail.contains("more than the 2000"), d.detail);
    }

    @Test
    void aDeadLetterTooLargeForTheSinkIsWrittenAsItsCertainPart() throws Exception {
        JsonEncoder<DeadLetter> encoder = JsonEncoder.deadLetters(2000);
        encoder.open(DefaultOpenContext.INSTANCE);
        DeadLetter d = new DeadLetter();
        d.reason = DeadLetterReason.NOT_JSON;
        d.action = "dropped";
        d.detail = "the line is not a JSON object";
        d.offset = 9;
        d.value = "y".repeat(5000);
        d.valueBytes = 5000;
        encode(encoder, d);
        assertEquals(List.of(), sideOutput);
        assertEquals(1, written.size());
        assertTrue(written.get(0).size() <= 2000);
        DeadLetter back = JsonEncoder.mapper().readValue(written.get(0).value, DeadLetter.class);
        assertEquals(DeadLetterReason.NOT_JSON, back.reason);
        assertEquals(9, back.offset);
        assertEquals(null, back.value);
        assertTrue(back.valueTruncated);
        assertEquals(5000, back.valueBytes);
    }

    private static AnomalyRecord record(String line) {
        AnomalyRecord r = new AnomalyRecord();
        r.key = "k";
        r.topic = "logs";
        r.offset = 7;
        r.line = line;
        return r;
    }

    @Test
    void aWorstCaseMinimalDeadLetterFitsTheLeastRequestSize() throws Exception {
        DeadLetter d = new DeadLetter();
        d.reason = java.util.Arrays.stream(DeadLetterReason.values())
                .max(java.util.Comparator.comparingInt(r -> r.name().length()))
                .orElseThrow(); // the longest name
        d.action = "a".repeat(5000);
        d.detail = "\u0001".repeat(5000);
        d.topic = "t".repeat(5000);
        d.partition = Integer.MIN_VALUE;
        d.offset = Long.MIN_VALUE;
        d.timestamp = Long.MIN_VALUE;
        d.key = "k".repeat(5000); // ASCII: as many bytes in the Kafka key as in the JSON
        d.value = "v".repeat(100_000);
        d.valueBytes = Integer.MIN_VALUE;
        d.valueSha256 = "f".repeat(5000);
        DeadLetter m = DeadLetters.minimal(d, "\"".repeat(5000));
        EncodedRecord r = new EncodedRecord(
                m.key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                JsonEncoder.mapper().writeValueAsBytes(m));
        int floor = KafkaIo.maxRecordBytes(
                kafka(java.util.Map.of("max.request.size", String.valueOf(KafkaIo.MIN_REQUEST_BYTES))));
        assertEquals(DeadLetters.MINIMAL_MAX_BYTES, floor);
        assertTrue(r.size() <= floor, r.size() + " bytes");
        // and the encoder of the dead-letter topic writes it under that limit rather than failing the task
        JsonEncoder<DeadLetter> encoder = JsonEncoder.deadLetters(floor);
        encoder.open(DefaultOpenContext.INSTANCE);
        encode(encoder, d);
        assertEquals(1, written.size());
        assertTrue(written.get(0).size() <= floor);
    }

    @Test
    void aRequestSizeBelowTheMinimalDeadLetterIsRefused() {
        String below = String.valueOf(KafkaIo.MIN_REQUEST_BYTES - 1);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> kafka(java.util.Map.of("max.request.size", below)));
        assertTrue(
                e.getMessage().contains("max.request.size must be at least " + KafkaIo.MIN_REQUEST_BYTES),
                e.getMessage());
        assertTrue(e.getMessage().contains(below), e.getMessage());
        assertEquals(
                KafkaIo.MAX_REQUEST_BYTES - (KafkaIo.MIN_REQUEST_BYTES - DeadLetters.MINIMAL_MAX_BYTES),
                KafkaIo.maxRecordBytes(kafka(java.util.Map.of())));
    }

    private static KafkaEndpoints kafka(java.util.Map<String, String> properties) {
        return new KafkaEndpoints(
                "localhost:1", "in", "out", "dead", "g", "tx", StartingOffsets.EARLIEST, true, properties);
    }

    private <T> void encode(JsonEncoder<T> encoder, T element) throws Exception {
        encoder.processElement(
                element,
                encoder.new Context() {
                    @Override
                    public Long timestamp() {
                        return null;
                    }

                    @Override
                    public TimerService timerService() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public <X> void output(OutputTag<X> tag, X value) {
                        assertEquals(ParseLogLines.DEAD_LETTERS, tag);
                        sideOutput.add((DeadLetter) value);
                    }
                },
                new Collector<>() {
                    @Override
                    public void collect(EncodedRecord r) {
                        written.add(r);
                    }

                    @Override
                    public void close() {}
                });
    }
}
