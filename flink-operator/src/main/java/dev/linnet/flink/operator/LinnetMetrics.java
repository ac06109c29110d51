package dev.linnet.flink.operator;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics every Linnet user function reports (the encoder operator and the SQL functions alike), under a
 * {@code linnet} group with FLIP-33 style names:
 * <ul>
 *   <li>{@code numRecordsIn}, {@code numTokensIn} and their {@code ...PerSecond} meters;</li>
 *   <li>{@code modelLatencyMs}: time of each model call (histogram);</li>
 *   <li>{@code stateBytes}: encoded bytes of each state written back (histogram);</li>
 *   <li>{@code cacheHits}, {@code cacheMisses}: decoded states found in memory or read from Flink state;</li>
 *   <li>{@code numRecordsTruncated};</li>
 *   <li>{@code numStreamsReset}: restored streams started afresh because the model changed (RESET policy);</li>
 *   <li>{@code numRecordsRejected} in a sub-group per reason: {@code linnet.reason.<reason>.numRecordsRejected}.</li>
 * </ul>
 * Stateless functions leave the state metrics at zero.
 */
public class LinnetMetrics {

    protected static final int HISTOGRAM_WINDOW = 1000;

    public final Counter recordsIn;
    public final Counter tokensIn;
    public final Counter cacheHits;
    public final Counter cacheMisses;
    public final Counter truncated;
    public final Counter streamsReset;
    public final Histogram modelLatencyMs;
    public final Histogram stateBytes;
    /** The {@code linnet} group, for subclasses that add their own metrics. */
    protected final MetricGroup group;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    public LinnetMetrics(MetricGroup functionGroup) {
        group = functionGroup.addGroup("linnet");
        recordsIn = group.counter("numRecordsIn");
        tokensIn = group.counter("numTokensIn");
        group.meter("numRecordsInPerSecond", new MeterView(recordsIn));
        group.meter("numTokensInPerSecond", new MeterView(tokensIn));
        cacheHits = group.counter("cacheHits");
        cacheMisses = group.counter("cacheMisses");
        truncated = group.counter("numRecordsTruncated");
        streamsReset = group.counter("numStreamsReset");
        modelLatencyMs = histogram("modelLatencyMs");
        stateBytes = histogram("stateBytes");
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, group.addGroup("reason", r.metricName()).counter("numRecordsRejected"));
        }
    }

    protected final Histogram histogram(String name) {
        return group.histogram(name, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    public Counter rejected(RejectReason reason) {
        return rejected.get(reason);
    }
}
