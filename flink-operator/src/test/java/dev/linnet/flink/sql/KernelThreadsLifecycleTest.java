package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.kernels.KernelPool;
import dev.linnet.engine.model.ChunkResult;
import dev.linnet.engine.model.ForwardOptions;
import dev.linnet.engine.model.Model;
import dev.linnet.engine.state.StreamState;
import dev.linnet.flink.operator.LinnetClusterOptions;
import dev.linnet.flink.operator.LinnetScorer;
import dev.linnet.flink.operator.ScoredRecord;
import dev.linnet.flink.operator.ScorerInput;
import dev.linnet.flink.operator.SharedModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kernel threads belong to the job: on one MiniCluster (a session cluster, as the SQL path runs on) a SQL job
 * and then a DataStream job, each with two threads per task, see helper threads while they run, give the bare
 * engine's results bit for bit (computed here with every core per call: the thread count changes nothing), and
 * leave no Linnet thread and no model behind when they end.
 */
class KernelThreadsLifecycleTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(withTwoThreadsPerTask())
            .build());

    private static final boolean MULTICORE = Runtime.getRuntime().availableProcessors() > 1;

    private static Configuration withTwoThreadsPerTask() {
        Configuration c = SqlTestModel.clusterConfiguration();
        c.set(LinnetClusterOptions.KERNEL_THREADS, 2);
        return c;
    }

    /** The helper threads alive in this JVM when a row passes (the MiniCluster runs in it). */
    public static final class HelperThreads extends ScalarFunction {
        public int eval(Integer ignored) {
            return KernelPool.helperThreads();
        }
    }

    @Test
    void aSqlJobThenADataStreamJobLeaveNoLinnetThread() throws Exception {
        // the bare engine's results first: computed in this thread with no user, it starts helpers of its own
        List<LogLines.LogRow> rows = LogLines.rows(13, 3, 30);
        List<SqlTestModel.Expected> expected = SqlTestModel.streams(
                rows.stream().map(LogLines.LogRow::host).toList(),
                rows.stream().map(LogLines.LogRow::line).toList(),
                null);
        Model model = SqlTestModel.model();
        List<ScorerInput> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int[] ids = new int[1 + i % 7];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = (i * 31 + t * 7) % model.config().vocabSize();
            }
            records.add(new ScorerInput("k" + i % 3, "r" + i, ids));
        }
        Map<String, StreamState> states = new HashMap<>();
        Map<String, ChunkResult> want = new HashMap<>();
        for (ScorerInput in : records) {
            StreamState s = states.computeIfAbsent(in.key, k -> model.newState());
            want.put(in.recordId, model.forward(s, in.tokens, ForwardOptions.DEFAULT));
        }
        // which stop here, with whatever earlier tests of this JVM started the same way
        KernelPool.stopWhenUnused();
        assertEquals(List.of(), linnetThreads());
        int modelsBefore = SharedModels.loadedCount();

        SqlSession sql = new SqlSession("hashmap").withFunctions().withLogs(rows);
        sql.tEnv.createTemporarySystemFunction("HELPER_THREADS", HelperThreads.class);
        TableResult result = sql.tEnv.executeSql("SELECT id, stream_offset, mean_surprisal, max_surprisal, "
                + "HELPER_THREADS(id) FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'line')");
        List<Row> out = SqlSession.collect(result);
        assertEquals(rows.size(), out.size());
        int most = 0;
        for (Row r : out) {
            int id = (Integer) r.getField(0);
            SqlTestModel.Expected e = expected.get(indexOf(rows, id));
            RecordScores s = RecordScores.of(e.result().surprisal(), 0);
            assertEquals(e.offset(), r.getField(1), "row " + id);
            assertEquals(s.mean, r.getField(2), "row " + id);
            assertEquals(s.max, r.getField(3), "row " + id);
            most = Math.max(most, (Integer) r.getField(4));
        }
        if (MULTICORE) {
            assertTrue(most > 0, "no helper thread while the SQL job ran");
        }
        awaitNoLinnetThread("after the SQL job");
        // LINNET_SCORE's model too (Flink never closes a process table function: the class loader's release does)
        assertEquals(modelsBefore, SharedModels.loadedCount(), "models held after the SQL job");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LinnetScorer scorer = LinnetScorer.builder()
                .model(SqlTestModel.modelDir())
                .batchMaxTokens(32)
                .batchMaxDelay(Duration.ofMillis(5))
                .build();
        List<Tuple2<ScoredRecord, Integer>> scored = new ArrayList<>();
        try (CloseableIterator<Tuple2<ScoredRecord, Integer>> it = scorer.apply(
                        env.fromData(records).setParallelism(1).keyBy(ScorerInput::getKey))
                .map(r -> Tuple2.of(r, KernelPool.helperThreads()))
                .returns(Types.TUPLE(Types.POJO(ScoredRecord.class), Types.INT))
                .executeAndCollect("linnet kernel threads")) {
            it.forEachRemaining(scored::add);
        }
        assertEquals(records.size(), scored.size());
        most = 0;
        for (Tuple2<ScoredRecord, Integer> t : scored) {
            RecordScores w = RecordScores.of(want.get(t.f0.recordId).surprisal(), 0);
            assertEquals(w.mean == null ? Double.NaN : w.mean, t.f0.meanSurprisal, t.f0.recordId);
            assertEquals(w.max == null ? Float.NaN : w.max, t.f0.maxSurprisal, t.f0.recordId);
            most = Math.max(most, t.f1);
        }
        if (MULTICORE) {
            assertTrue(most > 0, "no helper thread while the DataStream job ran");
        }
        awaitNoLinnetThread("after the DataStream job");
        assertEquals(modelsBefore, SharedModels.loadedCount(), "models held after the DataStream job");
    }

    private static int indexOf(List<LogLines.LogRow> rows, int id) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).id() == id) return i;
        }
        throw new AssertionError("no row " + id);
    }

    /** The job's tasks close asynchronously to the client seeing its end: wait a little for them. */
    private static void awaitNoLinnetThread(String when) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!linnetThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), linnetThreads(), when);
        assertEquals(0, KernelPool.helperThreads(), when);
    }

    private static List<String> linnetThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("linnet"))
                .sorted()
                .toList();
    }
}
