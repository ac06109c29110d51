package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LINNET_SCORE in real SQL on a MiniCluster (parallelism 2, checkpoints on) over a bounded table: every row
 * equals, bit for bit, the bare engine run over the same texts per host in order.
 */
class LinnetScoreFunctionTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @ParameterizedTest(name = "{0}, embedding {1}")
    @CsvSource({"hashmap, false", "rocksdb, true"})
    void everyRowIsScoredAgainstItsHostsHistoryAsTheBareEngineDoes(String backend, boolean embedding) throws Exception {
        List<LogLines.LogRow> rows = LogLines.rows(11, 3, 60);
        SqlSession sql = new SqlSession(backend).withFunctions().withLogs(rows);
        TableResult result = sql.tEnv.executeSql("SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, "
                + "text => 'line', top_k => 4, embedding => " + embedding + ", uid => 'linnet-score-test')");
        List<String> columns = result.getResolvedSchema().getColumnNames();
        assertEquals(List.of("id", "host", "line", "stream_offset", "tokens", "truncated", "mean_surprisal",
                "max_surprisal", "top_positions", "top_surprisals", "top_spans", "embedding", "tokens_seen",
                "reject_reason"), columns);
        List<Row> out = SqlSession.collect(result);
        assertEquals(rows.size(), out.size());

        List<SqlTestModel.Expected> expected = SqlTestModel.streams(
                rows.stream().map(LogLines.LogRow::host).toList(), rows.stream().map(LogLines.LogRow::line).toList(), null);
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
}
