package dev.linnet.flink.jobs;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** Everything the log-anomaly job needs, validated by its parts. A parallelism of 0 keeps the environment's default. */
public record LogAnomalySettings(
        KafkaEndpoints kafka,
        TokenizerSpec tokenizer,
        LineParseSettings parse,
        ScorerTuning scorer,
        AnomalySettings anomaly,
        Duration checkpointInterval,
        int parallelism)
        implements Serializable {
    public LogAnomalySettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(parse, "parse");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(anomaly, "anomaly");
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
