package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.LineParseSettings;
import dev.linnet.flink.jobs.ScorerTuning;
import dev.linnet.flink.jobs.TokenizerSpec;
import java.time.Duration;

/**
 * The constructor of a job's settings ({@code LogAnomalySettings::new}, {@code TopicDigestSettings::new}): every
 * job takes the same parts in the same order, and only its own options ({@code O}) differ.
 */
@FunctionalInterface
interface JobSettingsFactory<O, S> {

    S create(
            KafkaEndpoints kafka,
            TokenizerSpec tokenizer,
            LineParseSettings parse,
            ScorerTuning scorer,
            O own,
            Duration checkpointInterval,
            int parallelism);
}
