package dev.linnet.flink.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.flink.jobs.DeadLetter;
import dev.linnet.flink.jobs.DigestItem;
import dev.linnet.flink.jobs.DigestRecord;
import dev.linnet.flink.jobs.DigestSettings;
import dev.linnet.flink.jobs.JsonEncoder;
import dev.linnet.flink.jobs.LineParseSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code topic-digest} without a broker: the sample logs through the production job on a local MiniCluster,
 * each digest printed as it is committed.
 */
final class EmbeddedTopicDigestRun {

    private final LocalTopicDigestCommand cmd;
    private final DigestSettings digest;
    private final LineParseSettings parse;
    private final PrintStream out = System.out;

    EmbeddedTopicDigestRun(LocalTopicDigestCommand cmd, DigestSettings digest, LineParseSettings parse) {
        this.cmd = cmd;
        this.digest = digest;
        this.parse = parse;
    }

    int run() throws Exception {
        try (EmbeddedStage stage = EmbeddedStage.prepare(cmd, cmd.embedded, out)) {
            EmbeddedJob local = EmbeddedJob.build(cmd, stage, digest, parse);
            out.printf(
                    Locale.ROOT,
                    "flink: local MiniCluster, parallelism %d, digests every %d records or %s of event time, "
                            + "checkpoint every %d ms%n",
                    local.parallelism,
                    digest.everyRecords(),
                    digest.everyTime() == null ? "never" : digest.everyTime(),
                    local.checkpointInterval.toMillis());
            CompletableFuture<?> done = local.start().getJobExecutionResult();

            ObjectMapper json = JsonEncoder.mapper();
            ProgressLine progress = new ProgressLine(out);
            AtomicInteger digests = new AtomicInteger();
            AtomicInteger letters = new AtomicInteger();
            long start = System.nanoTime();
            try (TopicWatcher watcher = new TopicWatcher(
                    stage.broker.bootstrapServers(),
                    List.of(stage.kafka.outputTopic(), stage.kafka.deadLetterTopic()),
                    "linnet-embedded-watcher")) {
                int quiet = 0;
                while (true) {
                    int n = watcher.poll(Duration.ofMillis(500), (topic, value) -> {
                        try {
                            if (topic.equals(stage.kafka.outputTopic())) {
                                digests.incrementAndGet();
                                if (!cmd.embedded.print.equals("none")) {
                                    progress.println(format(json.readValue(value, DigestRecord.class)));
                                }
                            } else {
                                letters.incrementAndGet();
                                DeadLetter d = json.readValue(value, DeadLetter.class);
                                if (!cmd.embedded.print.equals("none")) {
                                    progress.println("  dead letter  " + d.reason.metricName() + " (" + d.action + "): "
                                            + d.detail);
                                }
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException("unreadable record on " + topic + ": " + e.getMessage(), e);
                        }
                    });
                    progress.update(String.format(
                            Locale.ROOT,
                            "%d digests, %d dead letters; %.0f s",
                            digests.get(),
                            letters.get(),
                            (System.nanoTime() - start) / 1e9));
                    if (done.isDone()) {
                        done.get(); // a failed job throws here
                        quiet = n == 0 ? quiet + 1 : 0;
                        if (quiet >= 3) {
                            break; // the job's last transaction is committed when it finishes
                        }
                    }
                }
            }
            progress.finish(String.format(
                    Locale.ROOT,
                    "%d records in, %d digests, %d dead letters, in %.1f s",
                    stage.sent.records(),
                    digests.get(),
                    letters.get(),
                    (System.nanoTime() - start) / 1e9));
            return 0;
        }
    }

    static String format(DigestRecord d) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "digest %s #%d (%s): %d records, %d tokens, %s .. %s, mean surprisal %s%n",
                d.key,
                d.sequence,
                d.closedBy,
                d.records,
                d.tokens,
                Instant.ofEpochMilli(d.firstTimestamp),
                Instant.ofEpochMilli(d.lastTimestamp),
                d.meanSurprisal == null ? "--" : String.format(Locale.ROOT, "%.2f", d.meanSurprisal)));
        b.append("  most novel:\n");
        for (DigestItem i : d.novel) {
            b.append(String.format(Locale.ROOT, "    %5.2f  %s%n", i.meanSurprisal, clip(i.line)));
        }
        b.append("  most representative:\n");
        for (DigestItem i : d.representative) {
            b.append(String.format(Locale.ROOT, "    %5.3f  %s%n", i.similarity, clip(i.line)));
        }
        if (d.summary != null) {
            b.append("  model's summary: ")
                    .append(clip(d.summary.replace('\n', ' ')))
                    .append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static String clip(String s) {
        return s.length() <= 110 ? s : s.substring(0, 109) + "…";
    }
}
