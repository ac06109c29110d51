package dev.linnet.flink.local;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter that keeps every metric of the benchmark's MiniCluster (which runs in this JVM) where the
 * benchmark can read it: the scorer's counters, the job's checkpoint statistics and restarts. A metric removed
 * when its job ends keeps its last value.
 */
public final class BenchMetrics implements MetricReporter {

    private static final Map<String, Object> METRICS = new ConcurrentHashMap<>();

    /** Found by Flink's {@code ServiceLoader} and named in the configuration {@link #configure} writes. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetrics();
        }
    }

    /** Adds this reporter to a MiniCluster's configuration. */
    static Configuration configure(Configuration conf) {
        conf.set(MetricOptions.REPORTERS_LIST, "linnetbench");
        conf.setString("metrics.reporter.linnetbench.factory.class", Factory.class.getName());
        return conf;
    }

    /** Forgets the metrics of earlier jobs. */
    static void clear() {
        METRICS.clear();
    }

    /** The sum over every counter (or histogram's count) whose identifier ends with {@code "." + name}. */
    static long sum(String name) {
        long total = 0;
        for (Map.Entry<String, Object> e : METRICS.entrySet()) {
            if (e.getKey().endsWith("." + name)) {
                Object m = e.getValue();
                if (m instanceof Counter c) {
                    total += c.getCount();
                } else if (m instanceof Histogram h) {
                    total += h.getCount();
                } else if (m instanceof Long l) {
                    total += l;
                }
            }
        }
        return total;
    }

    /** The value of a numeric gauge whose identifier ends with {@code "." + name}, else -1. */
    static long gauge(String name) {
        for (Map.Entry<String, Object> e : METRICS.entrySet()) {
            if (e.getKey().endsWith("." + name)) {
                Object v = e.getValue() instanceof Gauge<?> g ? g.getValue() : e.getValue();
                if (v instanceof Number n) {
                    return n.longValue();
                }
            }
        }
        return -1;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(metricName), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        String id = group.getMetricIdentifier(metricName);
        try {
            if (metric instanceof Counter c) {
                METRICS.put(id, c.getCount());
            } else if (metric instanceof Histogram h) {
                METRICS.put(id, h.getCount());
            } else if (metric instanceof Gauge<?> g && g.getValue() != null) {
                METRICS.put(id, g.getValue());
            }
        } catch (RuntimeException e) {
            METRICS.remove(id); // a gauge that cannot be read once its job is gone
        }
    }
}
