package dev.linnet.flink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.junit.jupiter.api.Test;

/**
 * The SQL client scripts: every Linnet function they call is registered by functions.sql, every Kafka table
 * option is one the Kafka connector knows, and every source table is planned by Flink's planner with the real
 * Kafka connector and format factories (which validates the options' values, the schema and the metadata columns).
 */
class DeploySqlTest {

    private static final Pattern LINNET_CALL = Pattern.compile("\\b(LINNET_[A-Z_]+)\\s*\\(");

    @Test
    void everyLinnetFunctionCalledIsRegisteredFromTheJobsJar() {
        SqlScript functions = script("functions.sql");
        Set<String> registered = functions.functions.stream()
                .map(SqlScript.Function::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("LINNET_EMBED", "LINNET_SCORE", "LINNET_SURPRISAL"), registered);
        for (SqlScript.Function f : functions.functions) {
            assertEquals("/opt/flink/usrlib/linnet-jobs.jar", f.jar(), f.name() + " USING JAR");
        }
        Set<String> called = new TreeSet<>();
        for (Path p : DeployFiles.filesEndingWith(".sql")) {
            for (String st : SqlScript.parse(DeployFiles.read(p)).statements) {
                if (st.regionMatches(true, 0, "CREATE", 0, 6)
                        && st.matches("(?is)^CREATE\\s+(TEMPORARY\\s+)?FUNCTION.*")) {
                    continue;
                }
                Matcher m = LINNET_CALL.matcher(st);
                while (m.find()) {
                    called.add(m.group(1));
                }
            }
        }
        assertTrue(
                called.containsAll(Set.of("LINNET_SCORE", "LINNET_EMBED", "LINNET_SURPRISAL")),
                "the scripts should call every function: " + called);
        assertTrue(registered.containsAll(called), "called but not registered: " + called);
    }

    @Test
    void everyKafkaTableOptionIsKnownToTheConnector() {
        DynamicTableFactory kafka =
                FactoryUtil.discoverFactory(getClass().getClassLoader(), DynamicTableFactory.class, "kafka");
        Set<String> known = new TreeSet<>();
        for (ConfigOption<?> o : kafka.requiredOptions()) {
            known.add(o.key());
        }
        for (ConfigOption<?> o : kafka.optionalOptions()) {
            known.add(o.key());
        }
        known.add(FactoryUtil.CONNECTOR.key());
        List<String> problems = new ArrayList<>();
        int tables = 0;
        for (Path p : DeployFiles.filesEndingWith(".sql")) {
            for (SqlScript.Table t : SqlScript.parse(DeployFiles.read(p)).tables) {
                if (!"kafka".equals(t.options().get("connector"))) {
                    continue;
                }
                tables++;
                for (String key : t.options().keySet()) {
                    if (!known.contains(key) && !key.startsWith("properties.")) {
                        problems.add(DeployFiles.relative(p) + " table " + t.name() + ": '" + key
                                + "' is not a Kafka connector option");
                    }
                }
            }
        }
        assertTrue(tables >= 3, "expected the input, output and preview tables, found " + tables);
        assertEquals(List.of(), problems);
    }

    @Test
    void theSourceTablesPlanWithTheRealKafkaConnector() {
        TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        int planned = 0;
        for (Path p : DeployFiles.filesEndingWith(".sql")) {
            for (SqlScript.Table t : SqlScript.parse(DeployFiles.read(p)).tables) {
                if (t.createAsSelect()) {
                    continue; // its columns come from LINNET_SCORE, which is planned where the function exists
                }
                tEnv.executeSql(t.statement());
                String plan = tEnv.explainSql("SELECT * FROM " + t.name());
                assertTrue(
                        plan.contains("TableSourceScan"),
                        DeployFiles.relative(p) + " table " + t.name() + " plan:\n" + plan);
                planned++;
            }
        }
        assertTrue(planned >= 2, "expected the job and preview source tables, planned " + planned);
    }

    private static SqlScript script(String name) {
        return SqlScript.parse(
                DeployFiles.read(DeployFiles.deployDir().resolve("sql").resolve(name)));
    }
}
