package dev.linnet.flink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every file under deploy/ parses in its own language. */
class DeployFilesParseTest {

    @Test
    void everyYamlAndJsonFileParses() {
        List<Path> files = DeployFiles.filesEndingWith(".yaml", ".yml", ".json");
        assertTrue(
                files.size() >= 6,
                "deploy/ should hold the Flink config, Compose file and Kubernetes manifests, found " + files);
        List<String> problems = new ArrayList<>();
        for (Path p : files) {
            try {
                if (p.toString().endsWith(".json")) {
                    DeployFiles.json(p);
                } else {
                    List<JsonNode> docs = DeployFiles.yamlDocuments(p);
                    if (docs.isEmpty()) {
                        problems.add(DeployFiles.relative(p) + " holds no YAML document");
                    }
                    for (JsonNode d : docs) {
                        if (!d.isObject()) {
                            problems.add(DeployFiles.relative(p) + " has a document that is not a mapping: "
                                    + d.getNodeType());
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theYamlParserRejectsBrokenYaml(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "a: [1, 2\nb: c\n");
        assertThrows(IllegalArgumentException.class, () -> DeployFiles.yamlDocuments(broken));
    }

    @Test
    void theDockerfileHasOnlyKnownInstructions() {
        Dockerfile d = Dockerfile.parse(DeployFiles.read(DeployFiles.deployDir().resolve("Dockerfile")));
        assertFalse(d.copies().isEmpty(), "the Dockerfile copies nothing");
        assertThrows(IllegalArgumentException.class, () -> Dockerfile.parse("FROM x\nCOPPY a b\n"));
    }

    @Test
    void everySqlScriptSplitsIntoKnownStatements() {
        List<Path> scripts = DeployFiles.filesEndingWith(".sql");
        assertTrue(scripts.size() >= 2, "deploy/sql should hold the function and job scripts, found " + scripts);
        for (Path p : scripts) {
            try {
                SqlScript s = SqlScript.parse(DeployFiles.read(p));
                assertFalse(s.statements.isEmpty(), DeployFiles.relative(p) + " has no statement");
            } catch (IllegalArgumentException e) {
                fail(DeployFiles.relative(p) + ": " + e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SqlScript.parse("SELECT 'a;"));
        assertThrows(IllegalArgumentException.class, () -> SqlScript.parse("SET 'a' = 'b'; SELEC 1;"));
    }
}
