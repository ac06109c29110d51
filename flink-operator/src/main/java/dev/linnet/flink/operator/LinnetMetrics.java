package dev.linnet.flink.operator;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The metrics every Linnet user function reports (the scoring operator and the SQL functions alike), under a
 * {@code linnet} group with FLIP-33 style names:
 * <ul>
 *   <li>{@code numRecordsIn}, {@code numTokensIn} and their {@code ...PerSecond} meters;</li>
 *   <li>{@code modelLatencyMs}: time of each model call (histogram);</li>
 *   <li>{@code stateBytes}: encoded bytes of each state written back (histogram);</li>
 *   <li>{@code stateBytesWritten}: encoded bytes of all states written back (counter);</li>
 *   <li>{@code cacheHits}, {@code cacheMisses}: decoded states found in memory or read from Flink state;</li>
 *   <li>{@code numRecordsTruncated};</li>
 *   <li>{@code numStreamsReset}: restored streams started afresh because the model changed (RESET policy);</li>
 *   <li>{@code numRecordsRejected} in a sub-group per reason: {@code linnet.reason.<reason>.numRecordsRejected}.</li>
 * </ul>
 * Stateless functions leave the state metrics at zero.
 */
@PublicEvolving
public class LinnetMetrics {

    /** The group every Linnet metric is registered under, below the operator's or function's group. */
    public static final String GROUP = "linnet";
    /** Records taken in (counter). */
    public static final String NUM_RECORDS_IN = "numRecordsIn";
    /** Tokens taken in (counter). */
    public static final String NUM_TOKENS_IN = "numTokensIn";
    /** Records taken in per second (meter). */
    public static final String NUM_RECORDS_IN_PER_SECOND = "numRecordsInPerSecond";
    /** Tokens taken in per second (meter). */
    public static final String NUM_TOKENS_IN_PER_SECOND = "numTokensInPerSecond";
    /** Decoded states found in memory (counter). */
    public static final String CACHE_HITS = "cacheHits";
    /** States read from Flink state (counter). */
    public static final String CACHE_MISSES = "cacheMisses";
    /** Records cut to the maximum length (counter). */
    public static final String NUM_RECORDS_TRUNCATED = "numRecordsTruncated";
    /** Restored streams started afresh because the model changed (counter). */
    public static final String NUM_STREAMS_RESET = "numStreamsReset";
    /** Time of each model call in milliseconds (histogram). */
    public static final String MODEL_LATENCY_MS = "modelLatencyMs";
    /** Encoded bytes of each state written back (histogram). */
    public static final String STATE_BYTES = "stateBytes";
    /** Encoded bytes of all states written back (counter). */
    public static final String STATE_BYTES_WRITTEN = "stateBytesWritten";
    /** The sub-group key of rejected records: {@code linnet.reason.<reason>.numRecordsRejected}. */
    public static final String REASON_GROUP = "reason";
    /** Records rejected, per reason (counter in the {@link #REASON_GROUP} sub-group). */
    public static final String NUM_RECORDS_REJECTED = "numRecordsRejected";
    /** Records per model call, the scoring operator only (histogram). */
    public static final String BATCH_RECORDS = "batchRecords";
    /** Tokens per model call, the scoring operator only (histogram). */
    public static final String BATCH_TOKENS = "batchTokens";
    /**
     * Streams whose paged state ({@code linnet.state.layout: PAGED}) had lost a page to state TTL and that started
     * afresh, the scoring operator only (counter).
     */
    public static final String NUM_STREAMS_EXPIRED = "numStreamsExpired";

    protected static final int HISTOGRAM_WINDOW = 1000;

    public final Counter recordsIn;
    public final Counter tokensIn;
    public final Counter cacheHits;
    public final Counter cacheMisses;
    public final Counter truncated;
    public final Counter streamsReset;
    public final Histogram modelLatencyMs;
    public final Histogram stateBytes;
    public final Counter stateBytesWritten;
    /** The {@code linnet} group, for subclasses that add their own metrics. */
    protected final MetricGroup group;

    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    public LinnetMetrics(MetricGroup functionGroup) {
        group = functionGroup.addGroup(GROUP);
        recordsIn = group.counter(NUM_RECORDS_IN);
        tokensIn = group.counter(NUM_TOKENS_IN);
        group.meter(NUM_RECORDS_IN_PER_SECOND, new MeterView(recordsIn));
        group.meter(NUM_TOKENS_IN_PER_SECOND, new MeterView(tokensIn));
        cacheHits = group.counter(CACHE_HITS);
        cacheMisses = group.counter(CACHE_MISSES);
        truncated = group.counter(NUM_RECORDS_TRUNCATED);
        streamsReset = group.counter(NUM_STREAMS_RESET);
        modelLatencyMs = histogram(MODEL_LATENCY_MS);
        stateBytes = histogram(STATE_BYTES);
        stateBytesWritten = group.counter(STATE_BYTES_WRITTEN);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, group.addGroup(REASON_GROUP, r.metricName()).counter(NUM_RECORDS_REJECTED));
        }
    }

    protected final Histogram histogram(String name) {
        return group.histogram(name, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    public Counter rejected(RejectReason reason) {
        return rejected.get(reason);
    }
}
