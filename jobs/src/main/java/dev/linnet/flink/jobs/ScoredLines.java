package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.EncodedRecord;
import dev.linnet.flink.operator.EncoderInput;
import dev.linnet.flink.operator.LinnetEncoder;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The front both jobs share: Kafka source, parsing (with dead letters), the Linnet encoder keyed by stream,
 * and the exactly-once dead-letter sink. Returns the encoder's output, still keyed by stream.
 */
final class ScoredLines {

    private ScoredLines() {}

    static KeyedStream<EncodedRecord, String> build(StreamExecutionEnvironment env, KafkaEndpoints kafka,
                                                    TokenizerSpec tokenizer, LineParseSettings parse,
                                                    EncoderTuning encoder, boolean emitEmbedding,
                                                    WatermarkStrategy<RawLogRecord> watermarks,
                                                    UnaryOperator<DataStream<EncoderInput>> tap) {
        SingleOutputStreamOperator<EncoderInput> parsed = env
                .fromSource(KafkaIo.source(kafka), watermarks, "Kafka log lines")
                .uid("linnet-kafka-source")
                .process(new ParseLogLines(parse, tokenizer))
                .uid("linnet-parse")
                .name("Parse log lines");

        SingleOutputStreamOperator<EncodedRecord> scored = encoder.encoder(parse.maxTokens(), emitEmbedding)
                .apply(tap.apply(parsed).keyBy(EncoderInput::getKey));

        parsed.getSideOutput(ParseLogLines.DEAD_LETTERS)
                .union(scored.getSideOutput(LinnetEncoder.REJECTED)
                        .map(DeadLetters::fromRejected)
                        .returns(DeadLetter.class)
                        .uid("linnet-encoder-rejects")
                        .name("Encoder rejects"))
                .sinkTo(KafkaIo.exactlyOnceSink(kafka, "dlq",
                        new JsonRecordSerializer<DeadLetter>(kafka.deadLetterTopic(), d -> d.key)))
                .uid("linnet-dead-letter-sink")
                .name("Kafka dead letters");

        // the encoder emits each key's records on the subtask that owns the key: no second shuffle needed
        return DataStreamUtils.reinterpretAsKeyedStream(scored, r -> r.key, Types.STRING);
    }
}
