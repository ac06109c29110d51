package dev.linnet.flink.operator;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The encoder's metrics, all under the operator's {@code linnet} group (FLIP-33 style names):
 * <ul>
 *   <li>{@code numRecordsIn}, {@code numTokensIn} and their {@code ...PerSecond} meters;</li>
 *   <li>{@code batchRecords}, {@code batchTokens}: records and tokens per model call (histograms);</li>
 *   <li>{@code modelLatencyMs}: time of each model call (histogram);</li>
 *   <li>{@code stateBytes}: encoded bytes of each state written back (histogram);</li>
 *   <li>{@code cacheHits}, {@code cacheMisses}: decoded states found in memory or read from Flink state;</li>
 *   <li>{@code numRecordsTruncated};</li>
 *   <li>{@code numStreamsReset}: restored streams started afresh because the model changed (RESET policy);</li>
 *   <li>{@code numRecordsRejected} in a sub-group per reason: {@code linnet.reason.<reason>.numRecordsRejected}.</li>
 * </ul>
 */
final class EncoderMetrics {

    private static final int HISTOGRAM_WINDOW = 1000;

    final Counter recordsIn;
    final Counter tokensIn;
    final Counter cacheHits;
    final Counter cacheMisses;
    final Counter truncated;
    final Counter streamsReset;
    final Histogram batchRecords;
    final Histogram batchTokens;
    final Histogram modelLatencyMs;
    final Histogram stateBytes;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    EncoderMetrics(MetricGroup operatorGroup) {
        MetricGroup g = operatorGroup.addGroup("linnet");
        recordsIn = g.counter("numRecordsIn");
        tokensIn = g.counter("numTokensIn");
        g.meter("numRecordsInPerSecond", new MeterView(recordsIn));
        g.meter("numTokensInPerSecond", new MeterView(tokensIn));
        cacheHits = g.counter("cacheHits");
        cacheMisses = g.counter("cacheMisses");
        truncated = g.counter("numRecordsTruncated");
        streamsReset = g.counter("numStreamsReset");
        batchRecords = g.histogram("batchRecords", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        batchTokens = g.histogram("batchTokens", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
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
