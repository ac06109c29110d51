package dev.linnet.flink.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linnet.engine.model.DefaultModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What deploy/ names exists: the Flink version, classes, files in the image, files on the host. */
class DeployReferencesTest {

    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(?:dev\\.linnet|org\\.apache\\.flink)(?:\\.[a-z][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_]*\\b");
    private static final Pattern IMAGE_PATH =
            Pattern.compile("/opt/flink/(?:usrlib|models|linnet-sql)(?:/[A-Za-z0-9._-]+)*");

    private static Dockerfile dockerfile() {
        return Dockerfile.parse(DeployFiles.read(DeployFiles.deployDir().resolve("Dockerfile")));
    }

    @Test
    void theImageIsTheOfficialFlinkImageOfThePomsFlinkVersionOnJava17() {
        String expected = "flink:" + DeployFiles.pomFlinkVersion() + "-java17";
        assertEquals(
                expected, dockerfile().baseImage(), "deploy/Dockerfile FROM (the pom's <flink.version> is the truth)");
        String flinkMinor = DeployFiles.pomFlinkVersion().replaceAll("^(\\d+)\\.(\\d+).*$", "v$1_$2");
        for (Path p : DeployFlinkConfigTest.flinkDeploymentFiles()) {
            assertEquals(
                    flinkMinor,
                    DeployFiles.singleYamlDocument(p)
                            .path("spec")
                            .path("flinkVersion")
                            .asText(),
                    DeployFiles.relative(p) + " spec.flinkVersion");
        }
    }

    @Test
    void theImageCarriesTheEnginesDefaultModelUnlessToldOtherwise() {
        assertEquals(
                DefaultModel.SOURCE_PATH,
                dockerfile().argDefaults.get("LINNET_MODEL_DIR"),
                "deploy/Dockerfile ARG LINNET_MODEL_DIR");
    }

    @Test
    void everyClassNamedInDeployExistsOrIsPending() {
        Set<String> named = new TreeSet<>();
        for (Path p : DeployFiles.allFiles()) {
            Matcher m = CLASS_NAME.matcher(DeployFiles.read(p));
            while (m.find()) {
                named.add(m.group());
            }
        }
        assertTrue(named.size() >= 3, "expected the SQL functions and the jobs' main class, found " + named);
        List<String> missing = new ArrayList<>();
        for (String className : named) {
            if (!loads(className) && !PendingArtifacts.CLASSES.containsKey(className)) {
                missing.add(className);
            }
        }
        assertEquals(List.of(), missing, "classes named in deploy/ that do not exist");
        List<String> stale = PendingArtifacts.CLASSES.keySet().stream()
                .filter(c -> !named.contains(c))
                .sorted()
                .toList();
        assertEquals(List.of(), stale, "PendingArtifacts.CLASSES entries that deploy/ no longer names");
        for (String pending : PendingArtifacts.CLASSES.keySet()) {
            if (loads(pending)) {
                System.out.println(
                        "[deploy check] " + pending + " exists now: remove it from PendingArtifacts.CLASSES");
            }
        }
    }

    @Test
    void everyPathInTheImageThatDeployNamesIsCopiedThereByTheDockerfile() {
        List<Dockerfile.Copy> copies = dockerfile().copies();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path p : DeployFiles.allFiles()) {
            if (p.getFileName().toString().equals("Dockerfile")) {
                continue;
            }
            Matcher m = IMAGE_PATH.matcher(DeployFiles.read(p));
            while (m.find()) {
                checked++;
                String path = m.group();
                // the path itself, something under a copied directory, or a directory a COPY puts things in
                boolean copied = copies.stream()
                        .anyMatch(c -> isAtOrUnder(path, c.destination()) || isAtOrUnder(c.destination(), path));
                if (!copied) {
                    problems.add(DeployFiles.relative(p) + " names " + path
                            + ", which no COPY of deploy/Dockerfile puts in the image");
                }
            }
        }
        assertTrue(checked >= 5, "expected the jar and model paths in the manifests, found " + checked);
        assertEquals(List.of(), problems);
        assertTrue(isAtOrUnder("/opt/flink/usrlib/linnet-jobs.jar", "/opt/flink/usrlib/linnet-jobs.jar"));
        assertTrue(!isAtOrUnder("/opt/flink/usrlib/other.jar", "/opt/flink/usrlib/linnet-jobs.jar"));
    }

    @Test
    void everyDockerfileSourceExistsOrIsBuiltByThePomOrIsPending() {
        Path root = DeployFiles.repositoryRoot();
        String jobsPom = DeployFiles.read(root.resolve("jobs/pom.xml"));
        List<String> problems = new ArrayList<>();
        for (Dockerfile.Copy c : dockerfile().copies()) {
            for (String source : c.sources()) {
                String clean = source.replaceAll("/+$", "");
                if (Files.exists(root.resolve(clean)) || PendingArtifacts.BUILD_INPUTS.containsKey(clean)) {
                    continue;
                }
                Matcher built =
                        Pattern.compile("^jobs/target/([A-Za-z0-9._-]+)\\.jar$").matcher(clean);
                if (built.matches() && jobsPom.contains("<finalName>" + built.group(1) + "</finalName>")) {
                    continue; // made by mvn package (the shade plugin's finalName)
                }
                problems.add("Dockerfile line " + c.line() + ": " + source
                        + " neither exists, nor is built by jobs/pom.xml, nor is pending");
            }
        }
        assertEquals(List.of(), problems);
        List<String> sources = dockerfile().copies().stream()
                .flatMap(c -> c.sources().stream())
                .map(s -> s.replaceAll("/+$", ""))
                .toList();
        List<String> stale = PendingArtifacts.BUILD_INPUTS.keySet().stream()
                .filter(s -> !sources.contains(s))
                .toList();
        assertEquals(List.of(), stale, "PendingArtifacts.BUILD_INPUTS entries that the Dockerfile no longer copies");
    }

    @Test
    void composeMountsAndBuildFilesExistAndTheJobRunsInApplicationMode() {
        Path composeFile = DeployFiles.deployDir().resolve("docker-compose.yml");
        JsonNode compose = DeployFiles.singleYamlDocument(composeFile);
        Path base = composeFile.getParent();
        List<String> problems = new ArrayList<>();
        for (String required : List.of("kafka", "jobmanager", "taskmanager-1", "taskmanager-2", "log-producer")) {
            if (compose.path("services").path(required).isMissingNode()) {
                problems.add("no service " + required);
            }
        }
        compose.path("services").fields().forEachRemaining(s -> {
            for (JsonNode volume : s.getValue().path("volumes")) {
                String spec = volume.asText();
                if (spec.startsWith(".") || spec.startsWith("/")) {
                    Path host = base.resolve(spec.split(":")[0]).normalize();
                    if (!Files.exists(host)) {
                        problems.add("service " + s.getKey() + " mounts " + host + ", which does not exist");
                    }
                }
            }
            JsonNode build = s.getValue().path("build");
            if (!build.isMissingNode()) {
                Path context = base.resolve(build.path("context").asText(".")).normalize();
                if (!Files.isRegularFile(
                        context.resolve(build.path("dockerfile").asText("Dockerfile")))) {
                    problems.add(
                            "service " + s.getKey() + " builds from a Dockerfile that does not exist under " + context);
                }
            }
        });
        JsonNode command = compose.path("services").path("jobmanager").path("command");
        if (!command.path(0).asText().equals("standalone-job")
                || !command.path(1).asText().equals("log-anomaly")) {
            problems.add(
                    "the jobmanager should run 'standalone-job log-anomaly ...' (application mode), runs " + command);
        }
        assertEquals(List.of(), problems);
    }

    private static boolean isAtOrUnder(String path, String destination) {
        String dest = destination.replaceAll("/+$", "");
        return path.equals(dest) || path.startsWith(dest + "/");
    }

    private static boolean loads(String className) {
        try {
            Class.forName(className, false, DeployReferencesTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
