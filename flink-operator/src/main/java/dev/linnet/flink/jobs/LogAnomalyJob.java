package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.EncodedRecord;
import dev.linnet.flink.operator.EncoderInput;
import dev.linnet.flink.operator.LinnetEncoder;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The log-anomaly job: a Kafka topic of log lines, scored per key by the model, to a topic of JSON
 * {@link AnomalyRecord}s, with bad input as {@link DeadLetter}s on a dead-letter topic; both sinks are
 * transactional (exactly-once), committed at each checkpoint.
 *
 * <pre>
 * Kafka --raw--> parse (decode, key, tokenize, truncate) --keyBy key--> Linnet encoder
 *       --same keys--> z-score against the key's running statistics, spans --> output topic
 * parse and encoder rejects --> dead-letter topic
 * </pre>
 */
public final class LogAnomalyJob {

    private LogAnomalyJob() {}

    /** Adds the job to {@code env} (checkpointing included); the caller executes it. */
    public static void build(StreamExecutionEnvironment env, LogAnomalySettings s) {
        build(env, s, UnaryOperator.identity());
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, LogAnomalySettings)}, with {@code tap} applied to the parsed
     * records before they are keyed (tests inject failures there).
     */
    public static void build(StreamExecutionEnvironment env, LogAnomalySettings s,
                             UnaryOperator<DataStream<EncoderInput>> tap) {
        env.enableCheckpointing(s.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        if (s.parallelism() > 0) {
            env.setParallelism(s.parallelism());
        }

        SingleOutputStreamOperator<EncoderInput> parsed = env
                .fromSource(KafkaIo.source(s.kafka()), WatermarkStrategy.noWatermarks(), "Kafka log lines")
                .uid("linnet-kafka-source")
                .process(new ParseLogLines(s.parse(), s.tokenizer()))
                .uid("linnet-parse")
                .name("Parse log lines");

        SingleOutputStreamOperator<EncodedRecord> scored = s.encoder().encoder(s.parse().maxTokens(), false)
                .apply(tap.apply(parsed).keyBy(EncoderInput::getKey));

        // the encoder emits each key's records on the subtask that owns the key: no second shuffle needed
        DataStream<AnomalyRecord> results = DataStreamUtils.reinterpretAsKeyedStream(scored, r -> r.key, Types.STRING)
                .process(new ScoreAgainstHistory(s.anomaly(), s.tokenizer(), s.parse().separator()),
                        TypeInformation.of(AnomalyRecord.class))
                .uid("linnet-anomaly-stats")
                .name("Score against key history");

        results.sinkTo(KafkaIo.exactlyOnceSink(s.kafka(), "out",
                        new JsonRecordSerializer<AnomalyRecord>(s.kafka().outputTopic(), r -> r.key)))
                .uid("linnet-output-sink")
                .name("Kafka scored lines");

        parsed.getSideOutput(ParseLogLines.DEAD_LETTERS)
                .union(scored.getSideOutput(LinnetEncoder.REJECTED)
                        .map(DeadLetters::fromRejected)
                        .returns(DeadLetter.class)
                        .uid("linnet-encoder-rejects")
                        .name("Encoder rejects"))
                .sinkTo(KafkaIo.exactlyOnceSink(s.kafka(), "dlq",
                        new JsonRecordSerializer<DeadLetter>(s.kafka().deadLetterTopic(), d -> d.key)))
                .uid("linnet-dead-letter-sink")
                .name("Kafka dead letters");
    }
}
