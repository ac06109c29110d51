package dev.linnet.flink.bench;

import dev.linnet.flink.operator.LinnetScorer;
import dev.linnet.flink.operator.ScoredRecord;
import dev.linnet.flink.operator.ScorerInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The records through a Flink job on a local MiniCluster: one source subtask (each key's records in order, as
 * from a Kafka partition), keyBy, the scorer at the benchmark's parallelism with exactly-once checkpoints,
 * and a sink that counts. The clock runs from the arrival at the sink of the first record past the warm-up
 * (the first tenth: model loading, task start) to that of the last, so it measures the steady state; the
 * process's CPU time over the same stretch is taken too (the machine may be shared).
 */
final class OperatorRun {

    /** The sink's counts (the MiniCluster runs in this JVM). */
    static final AtomicLong RECORDS = new AtomicLong();

    static final AtomicLong TOKENS = new AtomicLong();
    static final AtomicLong TIMED_RECORDS = new AtomicLong();
    static final AtomicLong TIMED_TOKENS = new AtomicLong();
    static final AtomicLong CLOCK_START = new AtomicLong();
    static final AtomicLong CLOCK_END = new AtomicLong();
    static final AtomicLong CHECKPOINTS = new AtomicLong();
    static final AtomicLong CPU_START = new AtomicLong();
    static final AtomicLong CPU_END = new AtomicLong();
    static volatile long warmupRecords;

    /** Counts, and the wall-clock and process CPU nanoseconds of the timed part. */
    record Result(long records, long timedRecords, long timedTokens, long nanos, long cpuNanos, long checkpoints) {}

    private OperatorRun() {}

    static Result run(Path modelDir, BenchSettings s, int vocab) throws Exception {
        RECORDS.set(0);
        TOKENS.set(0);
        TIMED_RECORDS.set(0);
        TIMED_TOKENS.set(0);
        CLOCK_START.set(0);
        CLOCK_END.set(0);
        CHECKPOINTS.set(0);
        CPU_START.set(0);
        CPU_END.set(0);
        warmupRecords = s.records() / 10;

        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, s.backend());
        // the JobManager's in-memory checkpoint storage refuses states over 5 MB: these are hundreds of MB
        Path checkpoints = Files.createTempDirectory("linnet-bench-checkpoints-");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(s.parallelism());
        env.enableCheckpointing(s.checkpointMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataGeneratorSource<ScorerInput> source = new DataGeneratorSource<>(
                index -> BenchRecords.record(s, vocab, index),
                s.records(),
                RateLimiterStrategy.noOp(),
                TypeInformation.of(ScorerInput.class));
        LinnetScorer scorer = LinnetScorer.builder()
                .model(modelDir)
                .batchMaxTokens(s.batchTokens())
                .batchMaxDelay(Duration.ofMillis(50))
                .statePrecision(s.precision())
                .build();
        scorer.apply(env.fromSource(source, WatermarkStrategy.noWatermarks(), "records")
                        .setParallelism(1))
                .map(new CountCheckpoints())
                .sinkTo(new CountingSink());
        try {
            env.execute("linnet operator benchmark");
        } finally {
            deleteRecursively(checkpoints);
        }
        return new Result(
                RECORDS.get(),
                TIMED_RECORDS.get(),
                TIMED_TOKENS.get(),
                CLOCK_END.get() - CLOCK_START.get(),
                CPU_END.get() - CPU_START.get(),
                CHECKPOINTS.get());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Passes records on; counts completed checkpoints (so the report can say checkpoints really ran). */
    static final class CountCheckpoints implements MapFunction<ScoredRecord, ScoredRecord>, CheckpointListener {
        @Override
        public ScoredRecord map(ScoredRecord r) {
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }

    /** Counts records and tokens; starts the clock after the warm-up, stops it at every record. */
    static final class CountingSink implements Sink<ScoredRecord> {
        @Override
        public SinkWriter<ScoredRecord> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(ScoredRecord r, Context ctx) {
                    long n = RECORDS.incrementAndGet();
                    TOKENS.addAndGet(r.tokens);
                    long now = System.nanoTime();
                    if (n == warmupRecords) {
                        CLOCK_START.set(now);
                        CPU_START.set(ProcessCpu.nanos());
                    } else if (n > warmupRecords) {
                        TIMED_RECORDS.incrementAndGet();
                        TIMED_TOKENS.addAndGet(r.tokens);
                        CLOCK_END.accumulateAndGet(now, Math::max);
                        CPU_END.accumulateAndGet(ProcessCpu.nanos(), Math::max);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
