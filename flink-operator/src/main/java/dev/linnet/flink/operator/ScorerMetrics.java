package dev.linnet.flink.operator;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;

/**
 * The scoring operator's metrics: those of {@link LinnetMetrics}, and the shape of its micro-batches,
 * {@code batchRecords} and {@code batchTokens} (records and tokens per model call, histograms), and
 * {@code numStreamsExpired} (paged states found with a page gone, started afresh).
 */
final class ScorerMetrics extends LinnetMetrics {

    final Histogram batchRecords;
    final Histogram batchTokens;
    final Counter streamsExpired;

    ScorerMetrics(MetricGroup operatorGroup) {
        super(operatorGroup);
        batchRecords = histogram(BATCH_RECORDS);
        batchTokens = histogram(BATCH_TOKENS);
        streamsExpired = group.counter(NUM_STREAMS_EXPIRED);
    }
}
