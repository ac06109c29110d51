package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LINNET_SCORE in real SQL on a MiniCluster (parallelism 2, checkpoints on) over a bounded table: every row
 * equals, bit for bit, the bare engine run over the same texts per host in order.
 */
class LinnetScoreFunctionTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(SqlTestModel.clusterConfiguration())
            .build());

    @ParameterizedTest(name = "{0}, embedding {1}")
    @CsvSource({"hashmap, false", "rocksdb, true"})
    void everyRowIsScoredAgainstItsHostsHistoryAsTheBareEngineDoes(String backend, boolean embedding) throws Exception {
        List<LogLines.LogRow> rows = LogLines.rows(11, 3, 60);
        SqlSession sql = new SqlSession(backend).withFunctions().withLogs(rows);
        TableResult result = sql.tEnv.executeSql("SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, "
                + "text => 'line', top_k => 4, embedding => " + embedding + ", uid => 'linnet-score-test')");
        List<String> columns = result.getResolvedSchema().getColumnNames();
        assertEquals(
                List.of(
                        "id",
                        "host",
                        "line",
                        "stream_offset",
                        "tokens",
                        "truncated",
                        "mean_surprisal",
                        "max_surprisal",
                        "top_positions",
                        "top_surprisals",
                        "top_spans",
                        "embedding",
                        "tokens_seen",
                        "reject_reason"),
                columns);
        List<Row> out = SqlSession.collect(result);
        assertEquals(rows.size(), out.size());

        List<SqlTestModel.Expected> expected = SqlTestModel.streams(
                rows.stream().map(LogLines.LogRow::host).toList(),
                rows.stream().map(LogLines.LogRow::line).toList(),
                null);
        ScoreRowCheck check = new ScoreRowCheck(columns);
        Map<Integer, Row> byId = new HashMap<>();
        for (Row r : out) {
            byId.put((Integer) check.get(r, "id"), r);
        }
        for (LogLines.LogRow r : rows) {
            Row got = byId.get(r.id());
            assertNotNull(got, "row " + r.id() + " missing");
            check.assertScored(got, r.line(), expected.get(r.id()), 4, embedding);
        }
        assertTrue(expected.stream().anyMatch(e -> e.offset() > 100), "streams should grow past the softmax window");
    }

    @ParameterizedTest(name = "over-length {0}")
    @CsvSource({"TRUNCATE", "REJECT"})
    void rejectedRowsLeaveTheStreamAsItWasAndLongTextsFollowThePolicy(String policy) throws Exception {
        List<LogLines.LogRow> rows = new ArrayList<>(LogLines.rows(3, 2, 16));
        rows.add(5, new LogLines.LogRow(100, "host-0", null));
        rows.add(9, new LogLines.LogRow(101, "host-1", ""));
        rows.add(12, new LogLines.LogRow(102, "host-0", "the user error and the connection timed out in 5s"));
        SqlSession sql = new SqlSession("hashmap").withFunctions().withLogs(rows);
        sql.tEnv.getConfig().set("linnet.record.max-tokens", "8");
        sql.tEnv.getConfig().set("linnet.record.over-length", policy);
        TableResult result = sql.tEnv.executeSql(
                "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'line', uid => 'linnet-score-test')");
        ScoreRowCheck check = new ScoreRowCheck(result.getResolvedSchema().getColumnNames());
        Map<Integer, Row> byId = new HashMap<>();
        for (Row r : SqlSession.collect(result)) {
            byId.put((Integer) check.get(r, "id"), r);
        }
        assertEquals(rows.size(), byId.size(), "one output row per input row, rejected ones included");

        // the bare engine over what was scored: rejected rows skipped, long rows cut to 8 tokens
        var model = SqlTestModel.model();
        Map<String, dev.linnet.engine.state.StreamState> states = new HashMap<>();
        boolean sawLong = false;
        for (LogLines.LogRow r : rows) {
            Row got = byId.get(r.id());
            var state = states.computeIfAbsent(r.host(), k -> model.newState());
            int[] ids = r.line() == null ? new int[0] : SqlTestModel.tokenizer().encode(r.line());
            boolean tooLong = ids.length > 8;
            sawLong |= tooLong;
            if (ids.length == 0 || (tooLong && policy.equals("REJECT"))) {
                String reason = (String) check.get(got, "reject_reason");
                assertTrue(
                        reason != null && reason.startsWith(ids.length == 0 ? "empty: " : "too-long: "),
                        "row " + r.id() + ": " + reason);
                assertEquals(state.tokensSeen(), check.get(got, "tokens_seen"), "row " + r.id());
                assertEquals(0, check.get(got, "tokens"));
                continue;
            }
            int[] scored = java.util.Arrays.copyOf(ids, Math.min(ids.length, 8));
            long offset = state.tokensSeen();
            var want = model.forward(state, scored, dev.linnet.engine.model.ForwardOptions.DEFAULT);
            assertEquals(offset, check.get(got, "stream_offset"), "row " + r.id());
            assertEquals(scored.length, check.get(got, "tokens"), "row " + r.id());
            assertEquals(tooLong, check.get(got, "truncated"), "row " + r.id());
            RecordScores sc = RecordScores.of(want.surprisal(), 3);
            assertEquals(sc.mean, check.get(got, "mean_surprisal"), "row " + r.id());
            assertEquals(state.tokensSeen(), check.get(got, "tokens_seen"), "row " + r.id());
        }
        assertTrue(sawLong);
    }

    @Test
    void badCallsFailAtPlanningNamingWhatIsWrong() {
        SqlSession sql = new SqlSession("hashmap").withFunctions().withLogs(LogLines.rows(1, 1, 2));
        String message = StatelessFunctionsTest.causes(assertThrows(
                Exception.class,
                () -> sql.tEnv.explainSql(
                        "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'message')")));
        assertTrue(
                message.contains("text => 'message' names no column") && message.contains("[id, host, line]"), message);

        message = StatelessFunctionsTest.causes(assertThrows(
                Exception.class,
                () -> sql.tEnv.explainSql(
                        "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'id')")));
        assertTrue(message.contains("the text column 'id' is INT") && message.contains("must be a string"), message);

        message = StatelessFunctionsTest.causes(
                assertThrows(
                        Exception.class,
                        () -> sql.tEnv.explainSql(
                                "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'line', top_k => -1)")));
        assertTrue(message.contains("top_k") && message.contains("-1"), message);

        message = StatelessFunctionsTest.causes(
                assertThrows(
                        Exception.class,
                        () -> sql.tEnv.explainSql(
                                "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'line', model_path => 'models/tiny')")));
        assertTrue(
                message.contains("linnet.model.path must be an absolute path or 'default' (the bundled model), got "
                        + "'models/tiny'"),
                message);

        // what a session may set is bounded
        for (String[] set : new String[][] {
            {"linnet.record.max-tokens", "0", "between 1 and 8192, got 0"},
            {"linnet.record.max-tokens", "1000000", "between 1 and 8192, got 1000000"},
            {"linnet.cache.max-states", "100000", "between 1 and 4096, got 100000"},
            {"linnet.model.window-bound", "10000000", "between 1 and 65536, got 10000000"},
            {"linnet.output.top-k", "5000", "between 0 and 1024, got 5000"}
        }) {
            SqlSession session = new SqlSession("hashmap").withFunctions().withLogs(LogLines.rows(1, 1, 2));
            session.tEnv.getConfig().set(set[0], set[1]);
            message = StatelessFunctionsTest.causes(assertThrows(
                    Exception.class,
                    () -> session.tEnv.explainSql(
                            "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'line')")));
            assertTrue(message.contains(set[0]) && message.contains(set[2]), message);
        }
    }

    @Test
    void aMissingModelFailsTheJobNamingThePathOnly() {
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        SqlSession sql = new SqlSession("hashmap", noRestarts).withFunctions().withLogs(LogLines.rows(1, 1, 2));
        String message = StatelessFunctionsTest.causes(
                assertThrows(
                        Exception.class,
                        () -> SqlSession.collect(
                                sql.tEnv.executeSql(
                                        "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'line', model_path => '/no/such/model')"))));
        assertTrue(
                message.contains("linnet.model.path '/no/such/model' is not a model directory that SQL may read"),
                message);
    }
}
