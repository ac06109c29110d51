package dev.linnet.flink.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StateCodec;
import dev.linnet.engine.state.StatePrecision;
import dev.linnet.engine.state.StreamState;
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
import dev.linnet.flink.operator.LinnetMetrics;
import dev.linnet.flink.operator.ScorerInput;
import dev.linnet.flink.state.StateSchema;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
            "The throughput run also checks that every input record comes out exactly once (read_committed), and "
                    + "prints the state figures (a key's encoded state, bytes written to state per record against the "
                    + "bytes a record changes), the checkpoints' duration and size (Flink's checkpoint statistics), "
                    + "and the heap after GC.",
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
            description = "Distinct stream keys; each record's key is drawn uniformly at random from them. "
                    + "Default: ${DEFAULT-VALUE}.")
    int keys;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "11",
            description = "Seed of the keys drawn. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--state-backend",
            paramLabel = "B",
            defaultValue = "hashmap",
            description = "hashmap (state on the heap) or rocksdb (on local disk, incremental checkpoints); "
                    + "checkpoints go to a temporary directory either way. Default: ${DEFAULT-VALUE}.")
    String stateBackend;

    @Option(
            names = "--flink-conf",
            paramLabel = "KEY=VALUE",
            description = "A Flink option for the local cluster, e.g. taskmanager.memory.managed.size=1g (RocksDB's "
                    + "memory); repeatable.")
    Map<String, String> flinkConf = new HashMap<>();

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

    @Option(
            names = "--progress-every",
            paramLabel = "N",
            defaultValue = "0",
            description = "In the throughput run, print a line each N records out: records/s, tokens/s, state written "
                    + "and read per record, and checkpoints over those N records alone (how a long run changes as "
                    + "its keys' windows fill). 0: none.")
    int progressEvery;

    @Option(names = "--skip-latency", description = "Only the throughput run.")
    boolean skipLatency;

    @Option(
            names = "--fail-after",
            paramLabel = "N",
            split = ",",
            description = "Fail the throughput job once as soon as N of its records have come out committed, for "
                    + "each N given (at most 3: the local cluster restarts a job 3 times), to check exactly-once "
                    + "output across restarts. Give enough --records that the source is still reading then.")
    List<Long> failAfter = List.of();

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || keys < 1 || latencySeconds < 1 || rate < 0 || progressEvery < 0) {
            throw new IllegalArgumentException(
                    "--records, --keys and --latency-seconds must be at least 1, --rate and --progress-every >= 0");
        }
        if (failAfter.size() > 3) {
            throw new IllegalArgumentException("--fail-after takes at most 3 counts: the job restarts 3 times");
        }
        if (!stateBackend.equals("hashmap") && !stateBackend.equals("rocksdb")) {
            throw new IllegalArgumentException("--state-backend is hashmap or rocksdb, got " + stateBackend);
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
                "cores %d (load average %.1f at start), parallelism %d, keys %d, %s state (%s), checkpoint every "
                        + "%d ms, batch %d tokens / %d ms, max heap %d MiB, java %s, vector module %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                p,
                keys,
                stateBackend,
                model.tuning(choice).statePrecision().name().toLowerCase(Locale.ROOT)
                        + ", "
                        + model.tuning(choice).stateLayout().name().toLowerCase(Locale.ROOT),
                checkpointInterval.toMillis(),
                model.batchMaxTokens(),
                model.batchMaxDelay().toMillis(),
                Runtime.getRuntime().maxMemory() >> 20,
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
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            out.add(new SampleLog.Line("k" + random.nextInt(keys), base.get(i).text()));
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

    private Configuration flinkConfiguration() {
        Configuration conf = BenchMetrics.configure(new Configuration());
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        if (stateBackend.equals("rocksdb")) {
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        conf.addAll(Configuration.fromMap(flinkConf));
        return conf;
    }

    private double throughput(EmbeddedKafka broker, ModelChoice choice, int p, List<SampleLog.Line> input)
            throws Exception {
        KafkaEndpoints kafka = endpoints(broker, "bench-throughput", true);
        Map<Integer, BitSet> expected = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            long t = System.currentTimeMillis();
            List<Future<RecordMetadata>> sent = new ArrayList<>(input.size());
            for (SampleLog.Line l : input) {
                sent.add(producer.send(
                        new ProducerRecord<>(kafka.inputTopic(), null, t, utf8(l.key()), utf8(l.text()))));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                expected.computeIfAbsent(m.partition(), x -> new BitSet()).set(Math.toIntExact(m.offset()));
            }
        }
        BenchMetrics.clear();
        StreamExecutionEnvironment env = FlinkSetup.local(null, flinkConfiguration());
        if (failAfter.isEmpty()) {
            LogAnomalyJob.build(env, settings(kafka, choice, p));
        } else {
            InjectedFailure.reset();
            LogAnomalyJob.build(
                    env,
                    settings(kafka, choice, p),
                    parsed -> parsed.map(new InjectedFailure())
                            .returns(TypeInformation.of(ScorerInput.class))
                            .uid("bench-injected-failure")
                            .name("Injected failure"));
        }
        ObjectMapper json = new ObjectMapper();
        Map<Integer, BitSet> seenOffsets = new HashMap<>();
        long[] duplicates = {0};
        long[] deadLetters = {0};
        Resources resources = new Resources();
        Checkpoints checkpoints = new Checkpoints();
        long start = System.nanoTime();
        JobClient job = env.executeAsync("bench-log-anomaly throughput");
        long seen = 0;
        long tokens = 0;
        long firstAt = 0;
        long seenAtFirst = 0;
        long tokensAtFirst = 0;
        long lastAt = 0;
        long endedAt = 0;
        int failuresRequested = 0;
        Progress progress = progressEvery > 0 ? new Progress(start) : null;
        try (TopicWatcher watcher = new TopicWatcher(
                broker.bootstrapServers(), List.of(kafka.outputTopic(), kafka.deadLetterTopic()), "bench-t")) {
            long[] batch = new long[2];
            // until every input record is out and the job has ended, or 30 s after its end (records lost)
            while (endedAt == 0 || (seen < input.size() && System.nanoTime() - endedAt < 30_000_000_000L)) {
                batch[0] = 0;
                batch[1] = 0;
                watcher.poll(Duration.ofMillis(100), (topic, value) -> {
                    if (topic.equals(kafka.deadLetterTopic())) {
                        deadLetters[0]++;
                        return;
                    }
                    JsonNode n = parse(json, value);
                    BitSet b = seenOffsets.computeIfAbsent(n.path("partition").asInt(), x -> new BitSet());
                    int offset = Math.toIntExact(n.path("offset").asLong());
                    if (b.get(offset)) {
                        duplicates[0]++;
                    } else {
                        b.set(offset);
                        batch[0]++;
                        batch[1] += n.path("tokens").asLong();
                    }
                });
                checkpoints.sample();
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
                    if (progress != null) {
                        progress.update(seen, tokens, checkpoints);
                    }
                    while (failuresRequested < failAfter.size() && seen >= failAfter.get(failuresRequested)) {
                        InjectedFailure.request();
                        failuresRequested++;
                    }
                }
                if (endedAt == 0 && job.getJobExecutionResult().isDone()) {
                    job.getJobExecutionResult().get(); // a failed job throws here
                    endedAt = System.nanoTime();
                }
            }
            if (seen == input.size()) {
                // output after the last record's first copy can only be duplicates
                watcher.poll(Duration.ofSeconds(2), (topic, value) -> {
                    if (topic.equals(kafka.outputTopic())) {
                        duplicates[0]++;
                    }
                });
            }
        }
        checkpoints.sample();
        double total = (lastAt - start) / 1e9;
        double steady = (lastAt - firstAt) / 1e9;
        out.printf(
                Locale.ROOT,
                "throughput: %d records, %d tokens (%.1f tokens/record) in %.1f s from job start: %.1f records/s, %.0f tokens/s%n",
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
                    "            after the first commit (start-up excluded, %.1f s): %.1f records/s, %.0f tokens/s%n",
                    steady,
                    steadyRecords,
                    (tokens - tokensAtFirst) / steady);
        }
        long lost = 0;
        for (Map.Entry<Integer, BitSet> e : expected.entrySet()) {
            BitSet missing = (BitSet) e.getValue().clone();
            missing.andNot(seenOffsets.getOrDefault(e.getKey(), new BitSet()));
            lost += missing.cardinality();
        }
        out.printf(
                Locale.ROOT,
                "exactly-once: %d input records, %d scored once, %d lost, %d duplicated, %d dead letters "
                        + "(read_committed); %d restarts%n",
                input.size(),
                seen,
                lost,
                duplicates[0],
                deadLetters[0],
                Math.max(0, BenchMetrics.gauge("numRestarts")));
        stateFigures(choice, seen, tokens);
        checkpoints.print();
        resources.print(total);
        resources.close();
        if (lost > 0 || duplicates[0] > 0) {
            throw new IllegalStateException(
                    "the output is not exactly once: " + lost + " lost, " + duplicates[0] + " duplicated");
        }
        return Double.isNaN(steadyRecords) ? seen / total : steadyRecords;
    }

    /**
     * Throws at the next parsed record each time the benchmark {@link #request requests} a failure. The counts
     * are kept in this JVM (the local MiniCluster's), over every attempt of the job, so each request fails the
     * job once.
     */
    static final class InjectedFailure implements MapFunction<ScorerInput, ScorerInput> {
        private static final long serialVersionUID = 1L;
        private static final AtomicLong REQUESTED = new AtomicLong();
        private static final AtomicLong DONE = new AtomicLong();

        static void reset() {
            REQUESTED.set(0);
            DONE.set(0);
        }

        static void request() {
            REQUESTED.incrementAndGet();
        }

        @Override
        public ScorerInput map(ScorerInput in) {
            long done = DONE.get();
            if (done < REQUESTED.get() && DONE.compareAndSet(done, done + 1)) {
                throw new IllegalStateException("injected failure " + (done + 1));
            }
            return in;
        }
    }

    /**
     * Bytes of state: a key's encoded state once its window is full, the bytes the scorer wrote back per record
     * (its {@code stateBytesWritten} counter), the bytes a record changes (every lightning matrix, which decays
     * as a whole, its tokens' keys and values in each window ring, the last hidden state), and their ratio.
     */
    private void stateFigures(ModelChoice choice, long records, long tokens) throws Exception {
        StatePrecision precision = model.tuning(choice).statePrecision();
        int valueBytes = precision == StatePrecision.FLOAT32 ? 4 : 2;
        Model m = Model.load(choice.dir());
        StreamState t = m.newState();
        StateCodec codec = StateSchema.of(m, precision).codec();
        int kvWidth = t.windowLayers() == 0 ? 0 : t.keys(0).length / t.window();
        double perToken = 2.0 * t.windowLayers() * kvWidth * valueBytes;
        double fixed = ((long) t.linearLayers() * t.linear(0).length + t.lastHidden().length) * (double) valueBytes;
        double changed = fixed + perToken * tokens / (double) records;
        long written = BenchMetrics.sum(LinnetMetrics.GROUP + "." + LinnetMetrics.STATE_BYTES_WRITTEN);
        long writes = BenchMetrics.sum(LinnetMetrics.GROUP + "." + LinnetMetrics.STATE_BYTES);
        long misses = BenchMetrics.sum(LinnetMetrics.GROUP + "." + LinnetMetrics.CACHE_MISSES);
        out.printf(
                Locale.ROOT,
                "state: %s a key once its window is full (%s); %d writes of %s on average; written per record %s, "
                        + "changed per record %s (lightning %s + %.0f B a token): write amplification %.2fx; "
                        + "%.2f state reads per record (cache misses)%n",
                bytes(codec.encodedSize(t.window())),
                precision.name().toLowerCase(Locale.ROOT),
                writes,
                bytes(writes == 0 ? 0 : written / (double) writes),
                bytes(written / (double) records),
                bytes(changed),
                bytes(fixed),
                perToken,
                written / (double) records / changed,
                misses / (double) records);
    }

    static String bytes(double b) {
        if (b >= 1 << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", b / (1 << 30));
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.2f MiB", b / (1 << 20));
        }
        if (b >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", b / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    /** The figures of each {@code --progress-every} records out, printed as the run goes. */
    private final class Progress {
        private long at;
        private long seen;
        private long tokens;
        private long written;
        private long misses;
        private int checkpointsSeen;

        Progress(long start) {
            at = start;
        }

        void update(long seenNow, long tokensNow, Checkpoints checkpoints) {
            if (seenNow / progressEvery == seen / progressEvery) {
                return;
            }
            long now = System.nanoTime();
            long writtenNow = BenchMetrics.sum(LinnetMetrics.GROUP + "." + LinnetMetrics.STATE_BYTES_WRITTEN);
            long missesNow = BenchMetrics.sum(LinnetMetrics.GROUP + "." + LinnetMetrics.CACHE_MISSES);
            double s = (now - at) / 1e9;
            long n = seenNow - seen;
            List<long[]> recent = checkpoints.since(checkpointsSeen);
            long[] durations = recent.stream().mapToLong(c -> c[0]).sorted().toArray();
            long[] sizes = recent.stream().mapToLong(c -> c[1]).sorted().toArray();
            out.printf(
                    Locale.ROOT,
                    "progress: %d records out; the last %d in %.1f s: %.1f records/s, %.0f tokens/s; state written %s"
                            + " a record, %.2f reads a record; %d checkpoints, duration p50 %s ms, size written p50 %s;"
                            + " full size %s%n",
                    seenNow,
                    n,
                    s,
                    n / s,
                    (tokensNow - tokens) / s,
                    bytes((writtenNow - written) / (double) n),
                    (missesNow - misses) / (double) n,
                    recent.size(),
                    durations.length == 0 ? "-" : String.valueOf(percentile(durations, 50)),
                    sizes.length == 0 ? "-" : bytes(percentile(sizes, 50)),
                    recent.isEmpty() ? "-" : bytes(recent.get(recent.size() - 1)[2]));
            at = now;
            seen = seenNow;
            tokens = tokensNow;
            written = writtenNow;
            misses = missesNow;
            checkpointsSeen += recent.size();
        }
    }

    /** Completed checkpoints as the job's checkpoint statistics report them, sampled as the run goes. */
    private final class Checkpoints {
        private long count;
        private final List<long[]> each = new ArrayList<>(); // duration ms, checkpointed bytes, full bytes

        void sample() {
            long n = BenchMetrics.gauge("numberOfCompletedCheckpoints");
            if (n > count) {
                count = n;
                each.add(new long[] {
                    BenchMetrics.gauge("lastCheckpointDuration"),
                    BenchMetrics.gauge("lastCheckpointSize"),
                    BenchMetrics.gauge("lastCheckpointFullSize")
                });
            }
        }

        /** The checkpoints sampled after the first {@code from}. */
        List<long[]> since(int from) {
            return new ArrayList<>(each.subList(Math.min(from, each.size()), each.size()));
        }

        void print() {
            if (each.isEmpty()) {
                out.println("checkpoints: none completed");
                return;
            }
            long[] durations = each.stream().mapToLong(c -> c[0]).sorted().toArray();
            long[] sizes = each.stream().mapToLong(c -> c[1]).sorted().toArray();
            long[] last = each.get(each.size() - 1);
            out.printf(
                    Locale.ROOT,
                    "checkpoints: %d completed, %d failed (Flink counts triggers refused while tasks start or finish); %d sampled: duration p50 %d ms, max %d ms; size written "
                            + "p50 %s, max %s; last full size %s (%s a key)%n",
                    count,
                    Math.max(0, BenchMetrics.gauge("numberOfFailedCheckpoints")),
                    each.size(),
                    percentile(durations, 50),
                    durations[durations.length - 1],
                    bytes(percentile(sizes, 50)),
                    bytes(sizes[sizes.length - 1]),
                    bytes(last[2]),
                    bytes(last[2] / (double) keys));
        }
    }

    /**
     * Heap after each collection (all heap pools, from the collector's notifications) and the time spent
     * collecting, over the run.
     */
    private final class Resources implements NotificationListener, AutoCloseable {
        private final long gcCountAtStart = gcCount();
        private final long gcMillisAtStart = gcMillis();
        private final Set<String> heapPools = new HashSet<>();
        private final AtomicLong maxAfterGc = new AtomicLong();
        private final AtomicLong lastAfterGc = new AtomicLong();
        private final AtomicLong longestPause = new AtomicLong();

        Resources() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    e.addNotificationListener(this, null, null);
                }
            }
        }

        @Override
        public void handleNotification(Notification n, Object handback) {
            if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                return;
            }
            GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                    .getGcInfo();
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            lastAfterGc.set(used);
            maxAfterGc.accumulateAndGet(used, Math::max);
            longestPause.accumulateAndGet(info.getDuration(), Math::max);
        }

        @Override
        public void close() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter e) {
                    try {
                        e.removeNotificationListener(this);
                    } catch (ListenerNotFoundException ignored) {
                        // not registered on this one
                    }
                }
            }
        }

        void print(double seconds) {
            long millis = gcMillis() - gcMillisAtStart;
            out.printf(
                    Locale.ROOT,
                    "heap after GC: max %s, at the end %s (of %s); GC: %d collections, %.1f s (%.0f %% of the run), "
                            + "longest %d ms; load average %.1f at the end%n",
                    bytes(maxAfterGc.get()),
                    bytes(lastAfterGc.get()),
                    bytes(Runtime.getRuntime().maxMemory()),
                    gcCount() - gcCountAtStart,
                    millis / 1e3,
                    100 * millis / 1e3 / seconds,
                    longestPause.get(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }

        private static long gcCount() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                    .sum();
        }

        private static long gcMillis() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                    .sum();
        }
    }

    private static JsonNode parse(ObjectMapper json, String value) {
        try {
            return json.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable output record: " + e.getMessage(), e);
        }
    }

    private void latency(EmbeddedKafka broker, ModelChoice choice, int p, List<SampleLog.Line> input, double perSecond)
            throws Exception {
        KafkaEndpoints kafka = endpoints(broker, "bench-latency", false);
        StreamExecutionEnvironment env = FlinkSetup.local(null, flinkConfiguration());
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
