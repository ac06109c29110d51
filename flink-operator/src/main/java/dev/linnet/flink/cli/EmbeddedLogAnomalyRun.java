package dev.linnet.flink.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.flink.jobs.AnomalyRecord;
import dev.linnet.flink.jobs.AnomalySettings;
import dev.linnet.flink.jobs.DeadLetter;
import dev.linnet.flink.jobs.JsonRecordSerializer;
import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.LineParseSettings;
import dev.linnet.flink.jobs.LogAnomalyJob;
import dev.linnet.flink.jobs.LogAnomalySettings;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.Span;
import dev.linnet.flink.jobs.StartingOffsets;
import dev.linnet.flink.kafka.EmbeddedKafka;
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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code log-anomaly} without a broker: starts a one-node Kafka broker in this JVM, writes the sample logs to
 * its input topic, runs the production job on a local MiniCluster (same source, parser, encoder and
 * exactly-once sinks), and reads the output back with read_committed as it is committed: every scored line is
 * printed, a status line shows progress, and an HTML chart of the scores is written at the end.
 */
final class EmbeddedLogAnomalyRun {

    private static final int PARTITIONS = 2;

    private final LogAnomalyCommand cmd;
    private final AnomalySettings anomaly;
    private final LineParseSettings parse;
    private final PrintStream out = System.out;

    EmbeddedLogAnomalyRun(LogAnomalyCommand cmd, AnomalySettings anomaly, LineParseSettings parse) {
        this.cmd = cmd;
        this.anomaly = anomaly;
        this.parse = parse;
    }

    int run() throws Exception {
        cmd.embedded.validate();
        long t0 = System.nanoTime();
        ModelChoice choice = cmd.model.resolve();
        out.println("linnet log-anomaly, embedded run");
        if (choice.standIn()) {
            out.println("*** " + choice.description() + " ***");
        } else {
            out.println("model: " + choice.description());
        }
        out.println("tokenizer: " + choice.tokenizer().create().describe());
        SampleLog sample = BundledSamples.load(cmd.embedded.sampleLines);
        if (sample == null) {
            sample = SyntheticLogs.generate(cmd.embedded.sampleLines, 7);
        }
        out.println("input: " + sample.description());

        try (EmbeddedKafka broker = QuietBroker.start()) {
            KafkaEndpoints kafka = cmd.kafka.endpoints(broker.bootstrapServers(), LogAnomalyCommand.NAME,
                    LogAnomalyCommand.DEFAULT_OUTPUT_TOPIC, true);
            kafka = new KafkaEndpoints(kafka.bootstrapServers(), kafka.inputTopic(), kafka.outputTopic(),
                    kafka.deadLetterTopic(), kafka.groupId(), kafka.transactionalIdPrefix(), StartingOffsets.EARLIEST,
                    true, kafka.clientProperties());
            broker.createTopics(PARTITIONS, kafka.inputTopic(), kafka.outputTopic(), kafka.deadLetterTopic());
            out.printf(Locale.ROOT, "kafka: in-JVM broker at %s (started in %.1f s); topics %s -> %s, dead letters -> %s%n",
                    broker.bootstrapServers(), (System.nanoTime() - t0) / 1e9, kafka.inputTopic(), kafka.outputTopic(),
                    kafka.deadLetterTopic());
            SampleFeeder.Sent sent = SampleFeeder.send(broker.bootstrapServers(), kafka.inputTopic(), sample,
                    !cmd.embedded.noMalformed);
            out.println("fed " + sent.records() + " records" + (cmd.embedded.noMalformed ? ""
                    : " (3 of them malformed on purpose: empty, not UTF-8, no key)"));

            Duration checkpoints = cmd.job.checkpointIntervalGiven(cmd.spec) ? cmd.job.checkpointInterval : Duration.ofSeconds(1);
            int parallelism = cmd.job.parallelism > 0 ? cmd.job.parallelism : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            LogAnomalySettings settings = new LogAnomalySettings(kafka, choice.tokenizer(), parse,
                    cmd.model.tuning(choice), anomaly, checkpoints, parallelism);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
            LogAnomalyJob.build(env, settings);
            out.printf(Locale.ROOT, "flink: local MiniCluster, parallelism %d, exactly-once sinks, checkpoint every %d ms "
                    + "(results appear as each checkpoint commits)%n", parallelism, checkpoints.toMillis());
            JobClient job = env.executeAsync(LogAnomalyCommand.NAME + " (embedded)");
            CompletableFuture<?> done = job.getJobExecutionResult();

            Watch watch = watch(broker.bootstrapServers(), kafka, sent, done);
            if (watch.failure != null) {
                throw watch.failure;
            }
            Path chart = cmd.embedded.chart.toAbsolutePath();
            ScoreChart.write(chart, watch.scored, anomaly.zThreshold(), "Embedded run on " + sample.description()
                    + "; model: " + (choice.standIn() ? "STAND-IN with random weights (scores not meaningful)" : choice.description()));
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
        ObjectMapper json = JsonRecordSerializer.mapper();
        Watch w = new Watch();
        ProgressLine progress = new ProgressLine(out);
        long start = System.nanoTime();
        long finishedAt = 0;
        try (TopicWatcher watcher = new TopicWatcher(bootstrap, List.of(kafka.outputTopic(), kafka.deadLetterTopic()),
                "linnet-embedded-watcher")) {
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
                                progress.println(String.format(Locale.ROOT, "  dead letter  %-18s %-26s %s-%d@%d  %s",
                                        d.reason.metricName(), d.action, d.topic, d.partition, d.offset, d.detail));
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("unreadable record on " + topic + ": " + e.getMessage(), e);
                    }
                });
                double secs = (System.nanoTime() - start) / 1e9;
                int accounted = w.scored.size() + w.dropped;
                progress.update(String.format(Locale.ROOT, "%d/%d records accounted for: %d scored, %d anomalies, %d dead letters; %.0f lines/s; %.0f s",
                        accounted, sent.records(), w.scored.size(), w.anomalies, total(w.deadLetters), w.scored.size() / Math.max(secs, 1e-3), secs));
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
        progress.finish(String.format(Locale.ROOT, "%d records in, %d lines scored, %d anomalies, dead letters %s, in %.1f s (%.0f lines/s end to end, job start-up included)",
                sent.records(), w.scored.size(), w.anomalies, w.deadLetters, secs, w.scored.size() / secs));
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
        b.append(r.anomaly ? " ANOMALY" : "        ");
        b.append(r.meanSurprisal == null ? "  mean   --" : String.format(Locale.ROOT, "  mean %5.2f", r.meanSurprisal));
        b.append(" | ").append(clip(r.line.replace('\n', ' '), 96));
        if (r.spans != null && !r.spans.isEmpty() && r.anomaly) {
            b.append(" | ");
            for (Span s : r.spans) {
                b.append(String.format(Locale.ROOT, "\"%s\" %.1f  ", clip(s.text.replace("\n", "\\n"), 16), s.surprisal));
            }
        }
        if (r.truncated || r.invalidUtf8 || r.defaultKey) {
            b.append(" [").append(r.truncated ? "truncated " : "").append(r.invalidUtf8 ? "invalid-utf8 " : "")
                    .append(r.defaultKey ? "default-key" : "").append(']');
        }
        return b.toString();
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
