package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.LinnetScorer;
import dev.linnet.flink.operator.ScoredRecord;
import dev.linnet.flink.operator.ScorerInput;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The front both jobs share: Kafka source, parsing (with dead letters), the Linnet scorer keyed by stream,
 * and the exactly-once dead-letter sink. Returns the scorer's output, still keyed by stream.
 */
final class ScoredLines {

    private ScoredLines() {}

    static KeyedStream<ScoredRecord, String> build(
            StreamExecutionEnvironment env,
            KafkaEndpoints kafka,
            TokenizerSpec tokenizer,
            LineParseSettings parse,
            ScorerTuning scorer,
            boolean emitEmbedding,
            WatermarkStrategy<RawLogRecord> watermarks,
            UnaryOperator<DataStream<ScorerInput>> tap) {
        SingleOutputStreamOperator<ScorerInput> parsed = env.fromSource(
                        KafkaIo.source(kafka), watermarks, "Kafka log lines")
                .uid("linnet-kafka-source")
                .process(new ParseLogLines(parse, tokenizer))
                .uid("linnet-parse")
                .name("Parse log lines");

        SingleOutputStreamOperator<ScoredRecord> scored = scorer.scorer(parse.maxTokens(), emitEmbedding)
                .apply(tap.apply(parsed).keyBy(ScorerInput::getKey));

        parsed.getSideOutput(ParseLogLines.DEAD_LETTERS)
                .union(scored.getSideOutput(LinnetScorer.REJECTED)
                        .map(DeadLetters::fromRejected)
                        .returns(DeadLetter.class)
                        .uid("linnet-encoder-rejects")
                        .name("Scorer rejects"))
                .sinkTo(KafkaIo.exactlyOnceSink(
                        kafka, "dlq", new JsonRecordSerializer<DeadLetter>(kafka.deadLetterTopic(), d -> d.key)))
                .uid("linnet-dead-letter-sink")
                .name("Kafka dead letters");

        // the scorer emits each key's records on the subtask that owns the key: no second shuffle needed
        return DataStreamUtils.reinterpretAsKeyedStream(scored, r -> r.key, Types.STRING);
    }
}
