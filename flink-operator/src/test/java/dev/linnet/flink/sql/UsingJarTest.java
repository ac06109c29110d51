package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linnet.engine.model.ChunkResult;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.catalog.FunctionCatalog;
import org.apache.flink.table.catalog.UnresolvedIdentifier;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions registered the way deploy/sql/functions.sql does it, {@code CREATE FUNCTION ... USING JAR},
 * and run in a MiniCluster: the session resolves the classes from the jar (child-first), the job ships it, and
 * the rows equal the bare engine's.
 *
 * <p>The jar: {@code -Dlinnet.sql.jar=/path/linnet-jobs.jar} runs this against the shaded jobs jar, which
 * exists only after {@code mvn package}, so not in the default test run (test comes before package). By
 * default the test packs this module's compiled classes and resources (what its own jar holds) into a jar;
 * the engine then comes from the class path, as Flink's own classes do.
 */
class UsingJarTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(SqlTestModel.clusterConfiguration())
            .build());

    @Test
    void functionsCreatedUsingTheJarRunAndMatchTheBareEngine(@TempDir Path tmp) throws Exception {
        Path jar = System.getProperty("linnet.sql.jar") != null
                ? Path.of(System.getProperty("linnet.sql.jar"))
                : moduleJar(tmp);
        System.out.println("[USING JAR] " + jar + " (" + Files.size(jar) + " bytes)");
        List<LogLines.LogRow> rows = LogLines.rows(31, 2, 20);
        SqlSession sql = new SqlSession("hashmap").withLogs(rows);
        for (String[] f : new String[][] {
            {"LINNET_SCORE", LinnetScoreFunction.class.getName()}, {"LINNET_EMBED", LinnetEmbedFunction.class.getName()}
        }) {
            sql.tEnv.executeSql("CREATE TEMPORARY FUNCTION IF NOT EXISTS " + f[0] + " AS '" + f[1]
                    + "' LANGUAGE JAVA USING JAR '" + jar.toUri() + "'");
        }
        assertEquals(
                jar.toUri().toURL(),
                codeSource(sql, "LINNET_SCORE"),
                "the session should load the function from the jar");
        assertEquals(
                jar.toUri().toURL(),
                codeSource(sql, "LINNET_EMBED"),
                "the session should load the function from the jar");

        TableResult result = sql.tEnv.executeSql("SELECT * FROM LINNET_SCORE(input => TABLE logs PARTITION BY host, "
                + "text => 'line', uid => 'linnet-score-jar')");
        ScoreRowCheck check = new ScoreRowCheck(result.getResolvedSchema().getColumnNames());
        List<SqlTestModel.Expected> expected = SqlTestModel.streams(
                rows.stream().map(LogLines.LogRow::host).toList(),
                rows.stream().map(LogLines.LogRow::line).toList(),
                null);
        List<Row> out = SqlSession.collect(result);
        assertEquals(rows.size(), out.size());
        for (Row r : out) {
            int id = (Integer) check.get(r, "id");
            check.assertScored(r, rows.get(id).line(), expected.get(id), 3, false);
        }

        Map<Integer, Row> embedded = new HashMap<>();
        for (Row r : SqlSession.collect(sql.tEnv.executeSql("SELECT id, LINNET_EMBED(line) FROM logs"))) {
            embedded.put((Integer) r.getField(0), r);
        }
        for (LogLines.LogRow r : rows) {
            ChunkResult want = SqlTestModel.alone(r.line());
            assertArrayEquals(want.embedding(), ScoreRowCheck.unbox((Float[])
                    embedded.get(r.id()).getField(1)));
        }
    }

    /** Where the class of the function the session resolves {@code name} to comes from. */
    private static URL codeSource(SqlSession sql, String name) throws Exception {
        Field f = TableEnvironmentImpl.class.getDeclaredField("functionCatalog");
        f.setAccessible(true);
        FunctionCatalog functions = (FunctionCatalog) f.get(sql.tEnv);
        FunctionDefinition definition = functions
                .lookupFunction(UnresolvedIdentifier.of(name))
                .orElseThrow()
                .getDefinition();
        return definition.getClass().getProtectionDomain().getCodeSource().getLocation();
    }

    /** This module's compiled classes and resources as a jar. */
    private static Path moduleJar(Path dir) throws IOException, URISyntaxException {
        Path classes = Path.of(LinnetScoreFunction.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path jar = dir.resolve("linnet-flink-operator.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
