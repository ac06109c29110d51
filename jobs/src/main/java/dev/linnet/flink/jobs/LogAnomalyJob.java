package dev.linnet.flink.jobs;

import dev.linnet.flink.operator.ScorerInput;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The log-anomaly job: a Kafka topic of log lines, scored per key by the model, to a topic of JSON
 * {@link AnomalyRecord}s, with bad input as {@link DeadLetter}s on a dead-letter topic; both sinks are
 * transactional (exactly-once), committed at each checkpoint.
 *
 * <pre>
 * Kafka --raw--> parse (decode, key, tokenize, truncate) --keyBy key--> Linnet scorer
 *       --same keys--> z-score against the key's running statistics, surprising tokens --> output topic
 * parse, scorer rejects, outputs that cannot be built or written --> dead-letter topic
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
    public static void build(
            StreamExecutionEnvironment env, LogAnomalySettings s, UnaryOperator<DataStream<ScorerInput>> tap) {
        Checkpoints.configure(env, s.checkpointInterval());
        if (s.parallelism() > 0) {
            env.setParallelism(s.parallelism());
        }
        ScoredLines lines = ScoredLines.build(
                env, s.kafka(), s.tokenizer(), s.parse(), s.scorer(), false, WatermarkStrategy.noWatermarks(), tap);
        SingleOutputStreamOperator<AnomalyRecord> results = lines.scored()
                .process(
                        new ScoreAgainstHistory(
                                s.anomaly(),
                                s.tokenizer(),
                                s.parse().separator(),
                                s.scorer().stateTtl()),
                        TypeInformation.of(AnomalyRecord.class))
                .uid("linnet-anomaly-stats")
                .name("Score against key history");
        lines.addDeadLetters(results);
        lines.sink(results, r -> r.key, DeadLetters::outputFailed, "scored lines");
    }
}
