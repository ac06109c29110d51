package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.io.Checkpoint;
import dev.linnet.flink.operator.LinnetClusterOptions;
import dev.linnet.flink.operator.LinnetOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way SQL names a file (LINNET_SCORE's model_path, the session's linnet.model.path and linnet.tokenizer.path,
 * CREATE MODEL's 'tokenizer.path', a model directory's own tokenizer.json) goes through the TaskManager's
 * linnet.model.allowed-dirs: outside them the job fails with a message that names the value given and says nothing
 * of the file; inside them the model scores as the bare engine does.
 */
class SqlPathSandboxTest {

    /** The one allowed directory: a copy of the test model, links out of it, and a model whose tokenizer links out. */
    private static final Path ALLOWED;
    /** Beside it, not allowed: another copy of the model and a file that is no tokenizer. */
    private static final Path OUTSIDE;

    static {
        try {
            Path root = Files.createTempDirectory("linnet-sandbox-");
            ALLOWED = Files.createDirectories(root.resolve("models"));
            OUTSIDE = Files.createDirectories(root.resolve("private"));
            copyModel(ALLOWED.resolve("tiny"), true);
            copyModel(OUTSIDE.resolve("tiny"), true);
            Files.writeString(OUTSIDE.resolve("secret.json"), "hunter2 is the first word of this file");
            Files.createSymbolicLink(ALLOWED.resolve("escape"), OUTSIDE.resolve("tiny"));
            Files.createSymbolicLink(ALLOWED.resolve("secret-link.json"), OUTSIDE.resolve("secret.json"));
            copyModel(ALLOWED.resolve("leaky"), false);
            Files.createSymbolicLink(ALLOWED.resolve("leaky/tokenizer.json"), OUTSIDE.resolve("secret.json"));
            // models whose config.json, or whose one shard, links out of the allowed directory
            Files.createDirectories(ALLOWED.resolve("linked-config"));
            Files.copy(
                    SqlTestModel.modelDir().resolve("model.safetensors"),
                    ALLOWED.resolve("linked-config/model.safetensors"));
            Files.copy(SqlTestModel.tokenizerFile(), ALLOWED.resolve("linked-config/tokenizer.json"));
            Files.createSymbolicLink(ALLOWED.resolve("linked-config/config.json"), OUTSIDE.resolve("secret.json"));
            Path sharded = Files.createDirectories(ALLOWED.resolve("linked-shard"));
            Files.copy(SqlTestModel.modelDir().resolve("config.json"), sharded.resolve("config.json"));
            Files.copy(SqlTestModel.tokenizerFile(), sharded.resolve("tokenizer.json"));
            StringBuilder index = new StringBuilder("{\"weight_map\": {");
            try (Checkpoint ck = Checkpoint.open(SqlTestModel.modelDir())) {
                String sep = "";
                for (String name : ck.names()) {
                    index.append(sep).append('"').append(name).append("\": \"model-00001-of-00001.safetensors\"");
                    sep = ", ";
                }
            }
            Files.writeString(sharded.resolve(Checkpoint.INDEX_FILE), index.append("}}"));
            Files.createSymbolicLink(
                    sharded.resolve("model-00001-of-00001.safetensors"), OUTSIDE.resolve("tiny/model.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(allowingOnly(ALLOWED))
            .build());

    private static Configuration allowingOnly(Path dir) {
        Configuration c = new Configuration();
        c.set(LinnetClusterOptions.MODEL_ALLOWED_DIRS, List.of(dir.toString()));
        return c;
    }

    private static void copyModel(Path to, boolean withTokenizer) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(SqlTestModel.modelDir().resolve(f), to.resolve(f));
        }
        if (withTokenizer) {
            Files.copy(SqlTestModel.tokenizerFile(), to.resolve("tokenizer.json"));
        }
    }

    /** A session with no restarts whose linnet.model.path names the allowed copy, and no tokenizer path. */
    private static SqlSession session() {
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        SqlSession sql = new SqlSession("hashmap", noRestarts).withFunctions().withLogs(LogLines.rows(3, 2, 6));
        sql.tEnv
                .getConfig()
                .set(LinnetOptions.MODEL_PATH, ALLOWED.resolve("tiny").toString());
        sql.tEnv.getConfig().getConfiguration().removeConfig(LinnetSqlOptions.TOKENIZER_PATH);
        return sql;
    }

    private static String failure(SqlSession sql, String query) {
        return StatelessFunctionsTest.causes(
                assertThrows(Exception.class, () -> SqlSession.collect(sql.tEnv.executeSql(query))));
    }

    @Test
    void aModelUnderAnAllowedDirectoryScoresAsTheBareEngine() throws Exception {
        SqlSession sql = session();
        // not the canonical form: resolved before it is checked
        String path = ALLOWED + "/./tiny/../tiny";
        List<Row> rows = SqlSession.collect(sql.tEnv.executeSql("SELECT id, LINNET_SURPRISAL(line) FROM logs"));
        List<Row> viaArgument = SqlSession.collect(sql.tEnv.executeSql("SELECT id, mean_surprisal FROM LINNET_SCORE("
                + "input => TABLE logs PARTITION BY id, text => 'line', model_path => '" + path + "')"));
        assertEquals(6, rows.size());
        assertEquals(6, viaArgument.size());
        for (Row r : rows) {
            LogLines.LogRow in = LogLines.rows(3, 2, 6).stream()
                    .filter(l -> l.id() == (Integer) r.getField(0))
                    .findFirst()
                    .orElseThrow();
            Double want = RecordScores.of(SqlTestModel.alone(in.line()).surprisal(), 0).mean;
            assertEquals(want, r.getField(1), "row " + in.id());
            // one row per partition (by id): LINNET_SCORE on an empty state too
            Row same = viaArgument.stream()
                    .filter(v -> v.getField(0).equals(r.getField(0)))
                    .findFirst()
                    .orElseThrow();
            assertEquals(want, same.getField(1), "row " + in.id());
        }
    }

    @Test
    void modelPathsOutsideTheAllowedDirectoriesFailWithOneMessage() {
        SqlSession sql = session();
        String general = null;
        for (String p : List.of(
                OUTSIDE + "/tiny", // exists, elsewhere
                "/no/such/model", // exists nowhere
                ALLOWED + "/escape", // a link out
                ALLOWED + "/escape/../tiny")) { // reads as inside, is outside
            String m = failure(
                    sql,
                    "SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, text => 'line', model_path => '"
                            + p + "')");
            assertTrue(m.contains("linnet.model.path '" + p + "' is not a model directory that SQL may read"), m);
            String first = m.substring(m.indexOf("linnet.model.path '"));
            first = first.substring(0, first.indexOf(" | ")).replace(p, "<given>");
            if (general == null) general = first;
            assertEquals(general, first, p);
            String rest = m.replace(p, "");
            assertFalse(rest.contains("exist") || rest.contains("NoSuchFile") || rest.contains(OUTSIDE.toString()), m);
        }
    }

    @Test
    void tokenizerPathsAreCheckedWhereverTheyComeFrom() {
        // the session's tokenizer path: a file elsewhere, and a link to it from inside
        for (String p : List.of(OUTSIDE + "/secret.json", ALLOWED + "/secret-link.json")) {
            SqlSession sql = session();
            sql.tEnv.getConfig().set(LinnetSqlOptions.TOKENIZER_PATH, p);
            String m = failure(sql, "SELECT id, LINNET_EMBED(line) FROM logs");
            assertTrue(m.contains("linnet.tokenizer.path '" + p + "' is not a file that SQL may read"), m);
            assertFalse(m.contains("hunter2"), m);
        }
        // a model directory whose tokenizer.json links out
        SqlSession sql = session();
        sql.tEnv
                .getConfig()
                .set(LinnetOptions.MODEL_PATH, ALLOWED.resolve("leaky").toString());
        String m = failure(sql, "SELECT id, LINNET_SURPRISAL(line) FROM logs");
        assertTrue(m.contains("is not a file that SQL may read"), m);
        assertFalse(m.contains("hunter2"), m);
        // CREATE MODEL's own option
        sql = session();
        sql.tEnv.executeSql("CREATE MODEL m INPUT (text STRING) OUTPUT (tokens INT) WITH ('provider' = 'linnet', "
                + "'tokenizer.path' = '" + OUTSIDE + "/secret.json')");
        m = failure(sql, "SELECT * FROM ML_PREDICT(TABLE logs, MODEL m, DESCRIPTOR(line))");
        assertTrue(m.contains("linnet.tokenizer.path '" + OUTSIDE + "/secret.json' is not a file"), m);
        assertFalse(m.contains("hunter2"), m);
    }

    @Test
    void modelFilesThatLinkOutOfAnAllowedDirectoryAreRefusedWithTheOneMessage() {
        SqlSession sql = session();
        String general = null;
        for (String p : List.of(
                "/no/such/model", // the message every refusal has
                ALLOWED + "/linked-config", // config.json links to a file outside
                ALLOWED + "/linked-shard")) { // the index's one shard links to a checkpoint outside
            sql.tEnv.getConfig().set(LinnetOptions.MODEL_PATH, p);
            String m = failure(sql, "SELECT id, LINNET_SURPRISAL(line) FROM logs");
            assertTrue(m.contains("linnet.model.path '" + p + "' is not a model directory that SQL may read"), m);
            String first = m.substring(m.indexOf("linnet.model.path '"));
            first = first.substring(0, first.indexOf(" | ")).replace(p, "<given>");
            if (general == null) general = first;
            assertEquals(general, first, p);
            assertFalse(m.contains("hunter2"), m);
            assertFalse(m.contains(OUTSIDE.toString()) || m.contains("private"), m);
        }
    }
}
