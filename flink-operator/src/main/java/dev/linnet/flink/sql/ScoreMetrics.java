package dev.linnet.flink.sql;

import dev.linnet.flink.operator.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The SQL functions' metrics, under a {@code linnet} group with the encoder operator's names:
 * {@code numRecordsIn}, {@code numTokensIn} (and {@code ...PerSecond} meters), {@code numRecordsTruncated},
 * {@code linnet.reason.<reason>.numRecordsRejected}, {@code modelLatencyMs}; the PTF also reports
 * {@code cacheHits}/{@code cacheMisses} (decoded states found in memory or decoded from Flink state),
 * {@code stateBytes} (each state written) and {@code numStreamsReset}.
 */
final class ScoreMetrics {

    private static final int HISTOGRAM_WINDOW = 1000;

    final Counter recordsIn;
    final Counter tokensIn;
    final Counter truncated;
    final Counter cacheHits;
    final Counter cacheMisses;
    final Counter streamsReset;
    final Histogram modelLatencyMs;
    final Histogram stateBytes;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    ScoreMetrics(MetricGroup functionGroup) {
        MetricGroup g = functionGroup.addGroup("linnet");
        recordsIn = g.counter("numRecordsIn");
        tokensIn = g.counter("numTokensIn");
        g.meter("numRecordsInPerSecond", new MeterView(recordsIn));
        g.meter("numTokensInPerSecond", new MeterView(tokensIn));
        truncated = g.counter("numRecordsTruncated");
        cacheHits = g.counter("cacheHits");
        cacheMisses = g.counter("cacheMisses");
        streamsReset = g.counter("numStreamsReset");
        modelLatencyMs = g.histogram("modelLatencyMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        stateBytes = g.histogram("stateBytes", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, g.addGroup("reason", r.metricName()).counter("numRecordsRejected"));
        }
    }

    Counter rejected(RejectReason reason) {
        return rejected.get(reason);
    }
}
