package dev.linnet.flink.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The repository's deploy/ directory as the static checks see it: files, parsed YAML documents, the pom. */
final class DeployFiles {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper YAML_MAPPER = new YAMLMapper(YAML);
    private static final ObjectMapper JSON_MAPPER = new JsonMapper();

    private DeployFiles() {}

    /** The repository root: the parent of this module (surefire runs in the module's directory). */
    static Path repositoryRoot() {
        Path module = Path.of("").toAbsolutePath();
        Path root = module.getParent();
        if (root == null
                || !Files.isDirectory(root.resolve("deploy"))
                || !Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new IllegalStateException("run from the jobs module: no deploy/ and pom.xml beside " + module);
        }
        return root;
    }

    static Path deployDir() {
        return repositoryRoot().resolve("deploy");
    }

    /** Every regular file under deploy/, sorted. */
    static List<Path> allFiles() {
        try (Stream<Path> s = Files.walk(deployDir())) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> filesEndingWith(String... suffixes) {
        return allFiles().stream()
                .filter(p -> {
                    for (String suffix : suffixes) {
                        if (p.getFileName().toString().endsWith(suffix)) {
                            return true;
                        }
                    }
                    return false;
                })
                .toList();
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All documents of a YAML file (Kubernetes files hold several, separated by ---); strict about syntax. */
    static List<JsonNode> yamlDocuments(Path p) {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.createParser(p.toFile())) {
            Iterator<JsonNode> it = YAML_MAPPER.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Jackson's value iterator reports a syntax error as an unchecked RuntimeJsonMappingException
            throw new IllegalArgumentException(relative(p) + " is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    static JsonNode json(Path p) {
        try {
            return JSON_MAPPER.readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(relative(p) + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode singleYamlDocument(Path p) {
        List<JsonNode> docs = yamlDocuments(p);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(relative(p) + " should hold one YAML document, has " + docs.size());
        }
        return docs.get(0);
    }

    /**
     * A Flink configuration map flattened to dotted keys, as Flink reads config.yaml: nested maps and dotted keys
     * mean the same thing ({@code state: {backend: {type: rocksdb}}} is {@code state.backend.type}).
     */
    static Map<String, String> flattenFlinkConfig(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            out.put(prefix, String.join(";", items));
        } else {
            out.put(prefix, node.asText());
        }
    }

    /** {@code <flink.version>} of the root pom. */
    static String pomFlinkVersion() {
        String pom = read(repositoryRoot().resolve("pom.xml"));
        Matcher m =
                Pattern.compile("<flink\\.version>([^<]+)</flink\\.version>").matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException("the root pom.xml sets no <flink.version>");
        }
        return m.group(1).trim();
    }

    static String relative(Path p) {
        return repositoryRoot().relativize(p.toAbsolutePath()).toString();
    }
}
