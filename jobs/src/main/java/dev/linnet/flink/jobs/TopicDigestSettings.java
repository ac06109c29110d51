package dev.linnet.flink.jobs;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** Everything the topic-digest job needs. A parallelism of 0 keeps the environment's default. */
public record TopicDigestSettings(
        KafkaEndpoints kafka,
        TokenizerSpec tokenizer,
        LineParseSettings parse,
        ScorerTuning scorer,
        DigestSettings digest,
        Duration checkpointInterval,
        int parallelism)
        implements Serializable {
    public TopicDigestSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(parse, "parse");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(digest, "digest");
        if (checkpointInterval == null || checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("--checkpoint-interval (execution.checkpointing.interval) must be at "
                    + "least 10 ms (exactly-once output is committed at each checkpoint), got " + checkpointInterval);
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException(
                    "--parallelism must be at least 1 (or 0 for the cluster's default), got " + parallelism);
        }
    }
}
