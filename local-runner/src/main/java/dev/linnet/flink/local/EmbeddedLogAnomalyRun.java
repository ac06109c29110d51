package dev.linnet.flink.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.flink.jobs.AnomalyRecord;
import dev.linnet.flink.jobs.AnomalySettings;
import dev.linnet.flink.jobs.DeadLetter;
import dev.linnet.flink.jobs.JsonEncoder;
import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.LineParseSettings;
import dev.linnet.flink.jobs.SurprisingToken;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/**
 * {@code log-anomaly} without a broker: starts a one-node Kafka broker in this JVM, writes the sample logs to
 * its input topic, runs the production job on a local MiniCluster (same source, parser, scorer and
 * exactly-once sinks), and reads the output back with read_committed as it is committed: every scored line is
 * printed, a status line shows progress, and an HTML chart of the scores is written at the end.
 */
final class EmbeddedLogAnomalyRun {

    private final LocalLogAnomalyCommand cmd;
    private final AnomalySettings anomaly;
    private final LineParseSettings parse;
    private final PrintStream out = System.out;

    EmbeddedLogAnomalyRun(LocalLogAnomalyCommand cmd, AnomalySettings anomaly, LineParseSettings parse) {
        this.cmd = cmd;
        this.anomaly = anomaly;
        this.parse = parse;
    }

    int run() throws Exception {
        try (EmbeddedStage stage = EmbeddedStage.prepare(cmd, cmd.embedded, out)) {
            EmbeddedJob local = EmbeddedJob.build(cmd, stage, anomaly, parse);
            out.printf(
                    Locale.ROOT,
                    "flink: local MiniCluster, parallelism %d, exactly-once sinks, checkpoint every %d ms "
                            + "(results appear as each checkpoint commits)%n",
                    local.parallelism,
                    local.checkpointInterval.toMillis());
            JobClient job = local.start();
            CompletableFuture<?> done = job.getJobExecutionResult();

            Watch watch = watch(stage.broker.bootstrapServers(), stage.kafka, stage.sent, done);
            if (watch.failure != null) {
                throw watch.failure;
            }
            FaultReport faults = FaultReport.of(stage.sample.faults(), stage.sent.lines(), watch.scored);
            faults.print(out);
            Path chart = cmd.embedded.chart.toAbsolutePath();
            ScoreChart.write(
                    chart,
                    watch.scored,
                    faults.outcomes,
                    anomaly,
                    "Embedded run on "
                            + stage.sample.description() + "; model: "
                            + (stage.model.standIn()
                                    ? "STAND-IN with random weights (scores not meaningful)"
                                    : stage.model.description()));
            out.println("chart: " + chart);
            return watch.complete ? 0 : 1;
        }
    }

    /** What the watcher saw. */
    private static final class Watch {
        final List<AnomalyRecord> scored = new ArrayList<>();
        final Map<String, Integer> deadLetters = new TreeMap<>();
        int dropped;
        int anomalies;
        boolean complete;
        Exception failure;
    }

    private Watch watch(String bootstrap, KafkaEndpoints kafka, SampleFeeder.Sent sent, CompletableFuture<?> done)
            throws Exception {
        ObjectMapper json = JsonEncoder.mapper();
        Watch w = new Watch();
        ProgressLine progress = new ProgressLine(out);
        long start = System.nanoTime();
        long finishedAt = 0;
        try (TopicWatcher watcher = new TopicWatcher(
                bootstrap, List.of(kafka.outputTopic(), kafka.deadLetterTopic()), "linnet-embedded-watcher")) {
            while (true) {
                watcher.poll(Duration.ofMillis(200), (topic, value) -> {
                    try {
                        if (topic.equals(kafka.outputTopic())) {
                            AnomalyRecord r = json.readValue(value, AnomalyRecord.class);
                            w.scored.add(r);
                            if (r.anomaly) {
                                w.anomalies++;
                            }
                            if (cmd.embedded.printAll() || (r.anomaly && cmd.embedded.printAnomalies())) {
                                progress.println(format(r));
                            }
                        } else {
                            DeadLetter d = json.readValue(value, DeadLetter.class);
                            w.deadLetters.merge(d.reason.metricName(), 1, Integer::sum);
                            if ("dropped".equals(d.action)) {
                                w.dropped++;
                            }
                            if (!cmd.embedded.print.equals("none")) {
                                progress.println(String.format(
                                        Locale.ROOT,
                                        "  dead letter  %-18s %-26s %s-%d@%d  %s",
                                        d.reason.metricName(),
                                        d.action,
                                        d.topic,
                                        d.partition,
                                        d.offset,
                                        d.detail));
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("unreadable record on " + topic + ": " + e.getMessage(), e);
                    }
                });
                double secs = (System.nanoTime() - start) / 1e9;
                int accounted = w.scored.size() + w.dropped;
                progress.update(String.format(
                        Locale.ROOT,
                        "%d/%d records accounted for: %d scored, %d anomalies, %d dead letters; %.0f lines/s; %.0f s",
                        accounted,
                        sent.records(),
                        w.scored.size(),
                        w.anomalies,
                        total(w.deadLetters),
                        w.scored.size() / Math.max(secs, 1e-3),
                        secs));
                if (accounted >= sent.records()) {
                    w.complete = true;
                    break;
                }
                if (done.isDone()) {
                    if (done.isCompletedExceptionally()) {
                        try {
                            done.get();
                        } catch (Exception e) {
                            w.failure = e;
                        }
                        break;
                    }
                    if (finishedAt == 0) {
                        finishedAt = System.nanoTime();
                    } else if (System.nanoTime() - finishedAt > TimeUnit.SECONDS.toNanos(30)) {
                        break; // the job ended but not every record showed up: say so below
                    }
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        progress.finish(String.format(
                Locale.ROOT,
                "%d records in, %d lines scored, %d anomalies, dead letters %s, in %.1f s (%.0f lines/s end to end, job start-up included)",
                sent.records(),
                w.scored.size(),
                w.anomalies,
                w.deadLetters,
                secs,
                w.scored.size() / secs));
        if (!w.complete && w.failure == null) {
            out.println("WARNING: " + (sent.records() - w.scored.size() - w.dropped)
                    + " records were neither scored nor dead-lettered within 30 s of the job's end");
        }
        if (done.isDone() || w.complete) {
            try {
                done.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (w.failure == null) {
                    w.failure = e;
                }
            }
        }
        return w;
    }

    private static int total(Map<String, Integer> m) {
        int t = 0;
        for (int v : m.values()) {
            t += v;
        }
        return t;
    }

    static String format(AnomalyRecord r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "  %-10s ", clip(r.key, 10)));
        b.append(r.zScore == null ? "z    --" : String.format(Locale.ROOT, "z %+6.1f", r.zScore));
        b.append(r.exceedance == null ? "  exc  --" : String.format(Locale.ROOT, "  exc %4.1f", r.exceedance));
        b.append(r.anomaly ? " ANOMALY" : "        ");
        b.append(r.meanSurprisal == null ? "  mean   --" : String.format(Locale.ROOT, "  mean %5.2f", r.meanSurprisal));
        b.append(" | ").append(clip(r.line.replace('\n', ' '), 96));
        if (r.surprisingTokens != null && !r.surprisingTokens.isEmpty() && r.anomaly) {
            b.append(" | ");
            for (SurprisingToken s : r.surprisingTokens) {
                b.append(String.format(
                        Locale.ROOT, "\"%s\" %.1f  ", clip(s.text.replace("\n", "\\n"), 16), s.surprisal));
            }
        }
        if (r.truncated || r.invalidUtf8 || r.defaultKey) {
            b.append(" [")
                    .append(r.truncated ? "truncated " : "")
                    .append(r.invalidUtf8 ? "invalid-utf8 " : "")
                    .append(r.defaultKey ? "default-key" : "")
                    .append(']');
        }
        return b.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
