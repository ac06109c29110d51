package dev.linnet.flink.jobs;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The topic-digest job: per key (document, channel, service), a rolling digest every N records or T of event
 * time ({@link DigestAssembler}), written as JSON {@link DigestRecord}s to the output topic, exactly once.
 * Event time is the Kafka record timestamp, with bounded out-of-orderness; idle partitions do not hold
 * time back.
 */
public final class TopicDigestJob {

    private TopicDigestJob() {}

    public static void build(StreamExecutionEnvironment env, TopicDigestSettings s) {
        Checkpoints.configure(env, s.checkpointInterval());
        if (s.parallelism() > 0) {
            env.setParallelism(s.parallelism());
        }
        WatermarkStrategy<RawLogRecord> watermarks = WatermarkStrategy.<RawLogRecord>forBoundedOutOfOrderness(
                        s.digest().outOfOrderness())
                .withIdleness(Duration.ofMinutes(1));
        ScoredLines lines = ScoredLines.build(
                env, s.kafka(), s.tokenizer(), s.parse(), s.scorer(), true, watermarks, UnaryOperator.identity());
        SingleOutputStreamOperator<DigestRecord> digests = lines.scored()
                .process(
                        new DigestAssembler(s.digest(), s.tokenizer(), s.parse().separator(), s.scorer()),
                        TypeInformation.of(DigestRecord.class))
                .uid("linnet-digest")
                .name("Digest per key");
        lines.addDeadLetters(digests);
        lines.sink(digests, d -> d.key, DeadLetters::outputFailed, "digests");
    }
}
