package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linnet.engine.model.ChunkResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stateless SQL paths in a MiniCluster: LINNET_EMBED and LINNET_SURPRISAL, and ML_PREDICT over a
 * {@code 'provider' = 'linnet'} model, each row equal bit for bit to the bare engine on an empty state.
 */
class StatelessFunctionsTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(SqlTestModel.clusterConfiguration())
            .build());

    private static final List<LogLines.LogRow> ROWS = withOddRows(LogLines.rows(5, 2, 12));

    /** Adds a NULL text, an empty one and a one-token one (no surprisal: nothing predicts its only token). */
    private static List<LogLines.LogRow> withOddRows(List<LogLines.LogRow> rows) {
        List<LogLines.LogRow> all = new java.util.ArrayList<>(rows);
        all.add(new LogLines.LogRow(100, "host-0", null));
        all.add(new LogLines.LogRow(101, "host-0", ""));
        all.add(new LogLines.LogRow(102, "host-1", "a"));
        return all;
    }

    @Test
    void theScalarFunctionsGiveTheBareEnginesEmbeddingAndMeanSurprisal() throws Exception {
        SqlSession sql = new SqlSession("hashmap").withFunctions().withLogs(ROWS);
        TableResult result =
                sql.tEnv.executeSql("SELECT id, LINNET_EMBED(line) AS e, LINNET_SURPRISAL(line) AS s FROM logs");
        Map<Integer, Row> byId = byId(SqlSession.collect(result));
        assertEquals(ROWS.size(), byId.size());
        for (LogLines.LogRow r : ROWS) {
            Row got = byId.get(r.id());
            if (r.line() == null || r.line().isEmpty()) {
                assertNull(got.getField(1), "row " + r.id());
                assertNull(got.getField(2), "row " + r.id());
                continue;
            }
            ChunkResult want = SqlTestModel.alone(r.line());
            assertArrayEquals(want.embedding(), ScoreRowCheck.unbox((Float[]) got.getField(1)), "row " + r.id());
            Double mean = RecordScores.of(want.surprisal(), 0).mean;
            if (mean == null) {
                assertNull(got.getField(2), "row " + r.id() + " has one token");
            } else {
                assertEquals(
                        Double.doubleToRawLongBits(mean),
                        Double.doubleToRawLongBits((Double) got.getField(2)),
                        "row " + r.id());
            }
        }
        assertNull(byId.get(102).getField(2), "a one-token text has no surprisal");
    }

    @Test
    void mlPredictOverALinnetModelScoresEachRowOnAnEmptyState() throws Exception {
        SqlSession sql = new SqlSession("hashmap").withLogs(ROWS);
        sql.tEnv.executeSql("CREATE MODEL line_model INPUT (text STRING) "
                + "OUTPUT (mean_surprisal DOUBLE, max_surprisal FLOAT, tokens INT, truncated BOOLEAN, embedding ARRAY<FLOAT>) "
                + "WITH ('provider' = 'linnet', 'model.path' = '" + SqlTestModel.modelDir() + "', 'tokenizer.path' = '"
                + SqlTestModel.tokenizerFile() + "', 'record.max-tokens' = '8')");
        TableResult result =
                sql.tEnv.executeSql("SELECT id, line, mean_surprisal, max_surprisal, tokens, truncated, embedding "
                        + "FROM ML_PREDICT(TABLE logs, MODEL line_model, DESCRIPTOR(line))");
        Map<Integer, Row> byId = byId(SqlSession.collect(result));
        assertEquals(ROWS.size(), byId.size());
        boolean sawTruncated = false;
        for (LogLines.LogRow r : ROWS) {
            Row got = byId.get(r.id());
            if (r.line() == null || r.line().isEmpty()) {
                for (int i = 2; i < got.getArity(); i++) {
                    assertNull(got.getField(i), "row " + r.id() + " column " + i);
                }
                continue;
            }
            int[] ids = SqlTestModel.tokenizer().encode(r.line());
            int[] scored = Arrays.copyOf(ids, Math.min(ids.length, 8));
            var m = SqlTestModel.model();
            ChunkResult want = m.forward(m.newState(), scored, dev.linnet.engine.model.ForwardOptions.DEFAULT);
            RecordScores s = RecordScores.of(want.surprisal(), 0);
            assertEquals(s.mean, got.getField(2), "row " + r.id());
            assertEquals(s.max, got.getField(3), "row " + r.id());
            assertEquals(scored.length, got.getField(4), "row " + r.id());
            assertEquals(ids.length > 8, got.getField(5), "row " + r.id());
            sawTruncated |= ids.length > 8;
            assertArrayEquals(want.embedding(), ScoreRowCheck.unbox((Float[]) got.getField(6)), "row " + r.id());
        }
        assertTrue(sawTruncated, "some texts should be longer than record.max-tokens = 8");
    }

    @Test
    void aLinnetModelRefusesColumnsItCannotFillNamingThem() {
        SqlSession sql = new SqlSession("hashmap").withLogs(ROWS);
        sql.tEnv.executeSql(
                "CREATE MODEL bad_model INPUT (text STRING) OUTPUT (sentiment DOUBLE) WITH ('provider' = 'linnet')");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> sql.tEnv.explainSql("SELECT * FROM ML_PREDICT(TABLE logs, MODEL bad_model, DESCRIPTOR(line))"));
        String message = causes(e);
        assertTrue(message.contains("sentiment") && message.contains("mean_surprisal DOUBLE"), message);

        sql.tEnv.executeSql(
                "CREATE MODEL typo_model INPUT (text STRING) OUTPUT (tokens BIGINT) WITH ('provider' = 'linnet')");
        message = causes(org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> sql.tEnv.explainSql("SELECT * FROM ML_PREDICT(TABLE logs, MODEL typo_model, DESCRIPTOR(line))")));
        assertTrue(message.contains("tokens is BIGINT; declare it INT"), message);

        sql.tEnv.executeSql(
                "CREATE MODEL option_model INPUT (text STRING) OUTPUT (tokens INT) WITH ('provider' = 'linnet', 'model.pth' = '/x')");
        message = causes(org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class,
                () -> sql.tEnv.explainSql(
                        "SELECT * FROM ML_PREDICT(TABLE logs, MODEL option_model, DESCRIPTOR(line))")));
        assertTrue(message.contains("model.pth"), message);
    }

    @Test
    void linnetNamesDoNotCollideWithBuiltInFunctions() {
        SqlSession sql = new SqlSession("hashmap");
        Set<String> builtIn = Arrays.stream(sql.tEnv.listFunctions())
                .map(f -> f.toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        assertTrue(builtIn.contains("ENCODE"), "the list holds the built-ins (ENCODE is one): " + builtIn.size());
        for (String name : List.of("LINNET_SCORE", "LINNET_EMBED", "LINNET_SURPRISAL")) {
            assertFalse(builtIn.contains(name), name + " is a built-in name");
        }
    }

    /** With no model path, or the name 'default', the bundled model, which needs no allowed directory. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withoutAModelPathTheFunctionsUseTheModelBundledInTheJar(boolean byName) throws Exception {
        assumeTrue(BundledModel.present(), "this build bundles no default model");
        List<LogLines.LogRow> rows = LogLines.rows(9, 1, 4);
        SqlSession sql = new SqlSession("hashmap").withLogs(rows);
        if (byName) {
            sql.tEnv.getConfig().set(dev.linnet.flink.operator.LinnetOptions.MODEL_PATH, "default");
        } else {
            sql.tEnv.getConfig().getConfiguration().removeConfig(dev.linnet.flink.operator.LinnetOptions.MODEL_PATH);
        }
        sql.tEnv.getConfig().getConfiguration().removeConfig(LinnetSqlOptions.TOKENIZER_PATH);
        sql.tEnv.createTemporarySystemFunction("LINNET_SURPRISAL", LinnetSurprisalFunction.class);
        Map<Integer, Row> byId =
                byId(SqlSession.collect(sql.tEnv.executeSql("SELECT id, LINNET_SURPRISAL(line) FROM logs")));

        java.nio.file.Path dir =
                dev.linnet.engine.model.DefaultModel.extract(getClass().getClassLoader());
        var model = dev.linnet.engine.model.Model.load(dir);
        var tokenizer = dev.linnet.engine.tokenizer.Tokenizer.load(dir.resolve("tokenizer.json"));
        for (LogLines.LogRow r : rows) {
            ChunkResult want = model.forward(
                    model.newState(), tokenizer.encode(r.line()), dev.linnet.engine.model.ForwardOptions.DEFAULT);
            assertEquals(
                    RecordScores.of(want.surprisal(), 0).mean, byId.get(r.id()).getField(1), "row " + r.id());
        }
    }

    private static Map<Integer, Row> byId(List<Row> rows) {
        Map<Integer, Row> m = new HashMap<>();
        for (Row r : rows) {
            m.put((Integer) r.getField(0), r);
        }
        return m;
    }

    static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
