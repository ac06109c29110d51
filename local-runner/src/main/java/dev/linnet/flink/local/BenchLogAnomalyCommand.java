package dev.linnet.flink.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linnet.flink.cli.DurationConverter;
import dev.linnet.flink.cli.FlinkSetup;
import dev.linnet.flink.cli.ModelArgs;
import dev.linnet.flink.jobs.AnomalySettings;
import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.LogAnomalyJob;
import dev.linnet.flink.jobs.LogAnomalySettings;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.StartingOffsets;
import dev.linnet.flink.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench-log-anomaly",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures the log-anomaly job end to end on the in-JVM broker and a local MiniCluster.",
            "1. Throughput: N records preloaded into the input topic, the bounded job run over them; records/s and "
                    + "tokens/s from the job's start, and from its first committed output (start-up excluded).",
            "2. Latency: once the job's first output is out, a producer sends records at a fixed rate; each output record's latency is "
                    + "the time a read_committed consumer sees it minus its input's timestamp (the send time). "
                    + "Exactly-once output is committed at checkpoints, so the checkpoint interval bounds it.",
            ""
        })
final class BenchLogAnomalyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs model = new ModelArgs();

    @Option(
            names = "--records",
            paramLabel = "N",
            defaultValue = "20000",
            description = "Records for the throughput run. Default: ${DEFAULT-VALUE}.")
    int records;

    @Option(
            names = "--keys",
            paramLabel = "K",
            defaultValue = "16",
            description = "Distinct stream keys. Default: ${DEFAULT-VALUE}.")
    int keys;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            defaultValue = "0",
            description = "Job parallelism (0: the number of cores, at most 4).")
    int parallelism;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Checkpoint interval (the output's commit interval). Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;

    @Option(
            names = "--rate",
            paramLabel = "R",
            defaultValue = "0",
            description = "Records/s sent in the latency run (0: half the measured throughput).")
    double rate;

    @Option(
            names = "--latency-seconds",
            paramLabel = "S",
            defaultValue = "20",
            description =
                    "Length of the latency run, after the job's first output and 5 s of warm-up. Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--skip-latency", description = "Only the throughput run.")
    boolean skipLatency;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || keys < 1 || latencySeconds < 1 || rate < 0) {
            throw new IllegalArgumentException(
                    "--records, --keys and --latency-seconds must be at least 1, --rate >= 0");
        }
        ModelChoice choice = model.resolve();
        int p = parallelism > 0
                ? parallelism
                : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        out.println("bench-log-anomaly: "
                + (choice.standIn()
                        ? "STAND-IN model (random weights; speed is real, scores are not)"
                        : choice.description()));
        out.printf(
                Locale.ROOT,
                "cores %d (load average %.1f at start), parallelism %d, keys %d, checkpoint every %d ms, "
                        + "batch %d tokens / %d ms, java %s, vector module %s%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                p,
                keys,
                checkpointInterval.toMillis(),
                model.batchMaxTokens(),
                model.batchMaxDelay().toMillis(),
                System.getProperty("java.version"),
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "on" : "off");
        List<SampleLog.Line> lines = lines(Math.max(records, 1000));
        try (EmbeddedKafka broker = QuietBroker.start()) {
            double throughput = throughput(broker, choice, p, lines.subList(0, records));
            if (!skipLatency) {
                latency(broker, choice, p, lines, rate > 0 ? rate : Math.max(1, throughput / 2));
            }
        }
        return 0;
    }

    private List<SampleLog.Line> lines(int n) {
        List<SampleLog.Line> base = SyntheticLogs.generate(n, 11).lines();
        List<SampleLog.Line> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new SampleLog.Line("k" + (i % keys), base.get(i).text()));
        }
        return out;
    }

    private LogAnomalySettings settings(KafkaEndpoints kafka, ModelChoice choice, int p) {
        return new LogAnomalySettings(
                kafka,
                choice.tokenizer(),
                dev.linnet.flink.jobs.LineParseSettings.defaults(),
                model.tuning(choice),
                AnomalySettings.defaults(),
                checkpointInterval,
                p);
    }

    private static KafkaEndpoints endpoints(EmbeddedKafka broker, String prefix, boolean bounded) {
        KafkaEndpoints k = new KafkaEndpoints(
                broker.bootstrapServers(),
                prefix + "-in",
                prefix + "-out",
                prefix + "-dlq",
                prefix,
                prefix,
                StartingOffsets.EARLIEST,
                bounded,
                Map.of());
        broker.createTopics(EmbeddedStage.PARTITIONS, k.inputTopic(), k.outputTopic(), k.deadLetterTopic());
        return k;
    }

    private double throughput(EmbeddedKafka broker, ModelChoice choice, int p, List<SampleLog.Line> input)
            throws Exception {
        KafkaEndpoints kafka = endpoints(broker, "bench-throughput", true);
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            long t = System.currentTimeMillis();
            for (SampleLog.Line l : input) {
                producer.send(new ProducerRecord<>(kafka.inputTopic(), null, t, utf8(l.key()), utf8(l.text())));
            }
            producer.flush();
        }
        StreamExecutionEnvironment env = FlinkSetup.local(null);
        LogAnomalyJob.build(env, settings(kafka, choice, p));
        ObjectMapper json = new ObjectMapper();
        long start = System.nanoTime();
        JobClient job = env.executeAsync("bench-log-anomaly throughput");
        long seen = 0;
        long tokens = 0;
        long firstAt = 0;
        long seenAtFirst = 0;
        long tokensAtFirst = 0;
        long lastAt = 0;
        long endedAt = 0;
        try (TopicWatcher watcher =
                new TopicWatcher(broker.bootstrapServers(), List.of(kafka.outputTopic()), "bench-t")) {
            long[] batch = new long[2];
            while (seen < input.size()) {
                batch[0] = 0;
                batch[1] = 0;
                watcher.poll(Duration.ofMillis(100), (topic, value) -> {
                    batch[0]++;
                    batch[1] += tokensOf(json, value);
                });
                if (batch[0] > 0) {
                    long now = System.nanoTime();
                    if (firstAt == 0) {
                        firstAt = now;
                        seenAtFirst = batch[0];
                        tokensAtFirst = batch[1];
                    }
                    lastAt = now;
                    seen += batch[0];
                    tokens += batch[1];
                }
                if (job.getJobExecutionResult().isDone()) {
                    job.getJobExecutionResult().get(); // a failed job throws here
                    if (endedAt == 0) {
                        endedAt = System.nanoTime();
                    } else if (System.nanoTime() - endedAt > 30_000_000_000L) {
                        throw new IllegalStateException("the job ended but only " + seen + " of " + input.size()
                                + " records came out within 30 s");
                    }
                }
            }
        }
        job.getJobExecutionResult().get();
        double total = (lastAt - start) / 1e9;
        double steady = (lastAt - firstAt) / 1e9;
        out.printf(
                Locale.ROOT,
                "throughput: %d records, %d tokens (%.1f tokens/record) in %.1f s from job start: %.0f records/s, %.0f tokens/s%n",
                seen,
                tokens,
                tokens / (double) seen,
                total,
                seen / total,
                tokens / total);
        double steadyRecords = steady > 0.5 ? (seen - seenAtFirst) / steady : Double.NaN;
        if (Double.isNaN(steadyRecords)) {
            out.println("            (all output came in one commit: give more --records for a rate without start-up)");
        } else {
            out.printf(
                    Locale.ROOT,
                    "            after the first commit (start-up excluded, %.1f s): %.0f records/s, %.0f tokens/s%n",
                    steady,
                    steadyRecords,
                    (tokens - tokensAtFirst) / steady);
        }
        return Double.isNaN(steadyRecords) ? seen / total : steadyRecords;
    }

    private void latency(EmbeddedKafka broker, ModelChoice choice, int p, List<SampleLog.Line> input, double perSecond)
            throws Exception {
        KafkaEndpoints kafka = endpoints(broker, "bench-latency", false);
        StreamExecutionEnvironment env = FlinkSetup.local(null);
        LogAnomalyJob.build(env, settings(kafka, choice, p));
        JobClient job = env.executeAsync("bench-log-anomaly latency");
        ObjectMapper json = new ObjectMapper();
        TopicWatcher watcher = new TopicWatcher(broker.bootstrapServers(), List.of(kafka.outputTopic()), "bench-l");
        // start-up (MiniCluster, model, first checkpoint) is not latency: wait until a first record comes through
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            producer.send(new ProducerRecord<>(
                            kafka.inputTopic(), null, System.currentTimeMillis(), utf8("k0"), utf8("priming record")))
                    .get();
        }
        long primeDeadline = System.nanoTime() + 120_000_000_000L;
        long[] primed = {0};
        while (primed[0] == 0) {
            watcher.poll(Duration.ofMillis(100), (topic, value) -> primed[0]++);
            if (System.nanoTime() > primeDeadline || job.getJobExecutionResult().isDone()) {
                watcher.close();
                job.cancel();
                throw new IllegalStateException("the latency job produced nothing within 120 s of its start");
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
                long start = System.nanoTime();
                for (long i = 0; !stop.get(); i++) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    SampleLog.Line l = input.get((int) (i % input.size()));
                    producer.send(new ProducerRecord<>(
                            kafka.inputTopic(), null, System.currentTimeMillis(), utf8(l.key()), utf8(l.text())));
                    sent.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Long> latencies = new ArrayList<>();
        long start = System.nanoTime();
        long warmUntil = start + 5_000_000_000L;
        long endAt = warmUntil + latencySeconds * 1_000_000_000L;
        long received = 0;
        try (watcher) {
            List<Long> batch = new ArrayList<>();
            while (System.nanoTime() < endAt) {
                batch.clear();
                watcher.poll(Duration.ofMillis(50), (topic, value) -> batch.add(timestampOf(json, value)));
                long now = System.currentTimeMillis();
                received += batch.size();
                if (System.nanoTime() >= warmUntil) {
                    for (long t : batch) {
                        latencies.add(now - t);
                    }
                }
                if (job.getJobExecutionResult().isDone()) {
                    job.getJobExecutionResult().get();
                    throw new IllegalStateException("the latency job ended on its own");
                }
            }
        } finally {
            stop.set(true);
            feeding.join();
            job.cancel().get();
        }
        if (latencies.isEmpty()) {
            out.println("latency: no output within the run; lower --rate or raise --latency-seconds");
            return;
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        out.printf(
                Locale.ROOT,
                "latency at %.0f records/s (%d sent, %d received, %d measured after warm-up): p50 %d ms, "
                        + "p99 %d ms, max %d ms (input timestamp to visible with read_committed)%n",
                perSecond,
                sent.get(),
                received,
                sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long tokensOf(ObjectMapper json, String value) {
        try {
            JsonNode n = json.readTree(value);
            return n.path("tokens").asLong();
        } catch (Exception e) {
            throw new IllegalStateException("unreadable output record: " + e.getMessage(), e);
        }
    }

    private static long timestampOf(ObjectMapper json, String value) {
        try {
            return json.readTree(value).path("timestamp").asLong();
        } catch (Exception e) {
            throw new IllegalStateException("unreadable output record: " + e.getMessage(), e);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka broker) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "2");
        return new KafkaProducer<>(p);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
