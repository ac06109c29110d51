package dev.linnet.flink.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/sql's scripts call LINNET_SCORE, LINNET_EMBED and LINNET_SURPRISAL: each statement that does is planned here by Flink's
 * planner with the real functions (registered from the classpath under the names functions.sql gives them) and
 * the real Kafka connector, so a call that does not fit the functions' signatures fails this test. Nothing runs:
 * planning needs neither a broker nor the model.
 */
class DeploySqlScriptsTest {

    private static final Pattern SET = Pattern.compile("(?is)^SET\\s+'([^']+)'\\s*=\\s*'([^']*)'$");

    @ParameterizedTest
    @ValueSource(strings = {"log-anomaly.sql", "embed-preview.sql"})
    void everyLinnetCallInTheScriptPlans(String script) throws IOException {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        tEnv.createTemporarySystemFunction("LINNET_SCORE", LinnetScoreFunction.class);
        tEnv.createTemporarySystemFunction("LINNET_EMBED", LinnetEmbedFunction.class);
        tEnv.createTemporarySystemFunction("LINNET_SURPRISAL", LinnetSurprisalFunction.class);
        int planned = 0;
        for (String statement : statements(Files.readString(deploySql().resolve(script)))) {
            boolean callsLinnet = statement.matches("(?s).*\\bLINNET_[A-Z_]+\\s*\\(.*");
            Matcher set = SET.matcher(statement);
            if (set.matches()) {
                tEnv.getConfig().set(set.group(1), set.group(2)); // what the SQL client's SET does
                continue;
            }
            if (!callsLinnet) {
                tEnv.executeSql(statement); // the source tables
                continue;
            }
            String plan = tEnv.explainSql(statement);
            assertTrue(plan.contains("LINNET_"), script + ": the plan should call the function:\n" + plan);
            planned++;
        }
        assertTrue(planned >= 1, script + " calls no Linnet function");
    }

    /** The script's statements: comments dropped, split at a ';' that ends a line. */
    static List<String> statements(String text) {
        StringBuilder current = new StringBuilder();
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String code = line.strip();
            if (code.startsWith("--") || code.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (code.endsWith(";")) {
                String st = current.toString().strip();
                out.add(st.substring(0, st.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    static Path deploySql() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/sql"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no deploy/sql above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("deploy/sql");
    }
}
