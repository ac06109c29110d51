package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.LinnetScorer;
import dev.linnet.flink.operator.ScoredRecord;
import dev.linnet.flink.operator.ScorerInput;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The front and the ends both jobs share: Kafka source, parsing (with dead letters), the Linnet scorer keyed by
 * stream; then each job's results written as JSON to its output topic, and every dead letter (of parsing, of the
 * scorer, of the job's own steps) to the dead-letter topic, both exactly once and within the sinks' record size.
 */
final class ScoredLines {

    private final KafkaEndpoints kafka;
    private final KeyedStream<ScoredRecord, String> scored;
    private DataStream<DeadLetter> deadLetters;

    private ScoredLines(
            KafkaEndpoints kafka, KeyedStream<ScoredRecord, String> scored, DataStream<DeadLetter> deadLetters) {
        this.kafka = kafka;
        this.scored = scored;
        this.deadLetters = deadLetters;
    }

    static ScoredLines build(
            StreamExecutionEnvironment env,
            KafkaEndpoints kafka,
            TokenizerSpec tokenizer,
            LineParseSettings parse,
            ScorerTuning scorer,
            boolean emitEmbedding,
            WatermarkStrategy<RawLogRecord> watermarks,
            UnaryOperator<DataStream<ScorerInput>> tap) {
        SingleOutputStreamOperator<ScorerInput> parsed = env.fromSource(
                        KafkaIo.source(kafka, parse.maxRecordBytes()), watermarks, "Kafka log lines")
                .uid("linnet-kafka-source")
                .process(new ParseLogLines(parse, tokenizer))
                .uid("linnet-parse")
                .name("Parse log lines");

        SingleOutputStreamOperator<ScoredRecord> scored = scorer.scorer(parse.maxTokens(), emitEmbedding)
                .apply(tap.apply(parsed).keyBy(ScorerInput::getKey));

        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(ParseLogLines.DEAD_LETTERS)
                .union(scored.getSideOutput(LinnetScorer.REJECTED)
                        .map(DeadLetters::fromRejected)
                        .returns(DeadLetter.class)
                        .uid("linnet-encoder-rejects")
                        .name("Scorer rejects"));

        // the scorer emits each key's records on the subtask that owns the key: no second shuffle needed
        return new ScoredLines(
                kafka, DataStreamUtils.reinterpretAsKeyedStream(scored, r -> r.key, Types.STRING), deadLetters);
    }

    /** The scorer's output, still keyed by stream. */
    KeyedStream<ScoredRecord, String> scored() {
        return scored;
    }

    /** Adds the dead letters of a step of the job's own (its {@link ParseLogLines#DEAD_LETTERS} side output). */
    void addDeadLetters(SingleOutputStreamOperator<?> step) {
        deadLetters = deadLetters.union(step.getSideOutput(ParseLogLines.DEAD_LETTERS));
    }

    /**
     * Writes {@code results} as JSON to the output topic (exactly once); a result that cannot be written within the
     * sink's record size becomes a dead letter. Then writes every dead letter. Call once, last.
     */
    <T> void sink(
            DataStream<T> results, SerializableFunction<T, String> key, JsonEncoder.Failure<T> failure, String name) {
        int maxRecordBytes = KafkaIo.maxRecordBytes(kafka);
        SingleOutputStreamOperator<EncodedRecord> encoded = results.process(
                        JsonEncoder.output(key, failure, maxRecordBytes), TypeInformation.of(EncodedRecord.class))
                .uid("linnet-output-json")
                .name(name + " as JSON");
        addDeadLetters(encoded);
        encoded.sinkTo(KafkaIo.exactlyOnceSink(kafka, "out", new EncodedRecordSerializer(kafka.outputTopic())))
                .uid("linnet-output-sink")
                .name("Kafka " + name);

        deadLetters
                .process(JsonEncoder.deadLetters(maxRecordBytes), TypeInformation.of(EncodedRecord.class))
                .uid("linnet-dead-letter-json")
                .name("Dead letters as JSON")
                .sinkTo(KafkaIo.exactlyOnceSink(kafka, "dlq", new EncodedRecordSerializer(kafka.deadLetterTopic())))
                .uid("linnet-dead-letter-sink")
                .name("Kafka dead letters");
    }
}
