import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Fails when a test was skipped that may not be: reads every surefire and failsafe report under the modules'
 * target folders and allows a skip only for the classes listed in the allowed file, and only with Testcontainers'
 * reason for a Docker-only test. Prints the totals as one line "tests: N passed, N failed, N skipped".
 *
 * <p>Run from the repository root, after the build: {@code java .ci/SkippedTests.java .ci/allowed-skips.txt}
 */
public class SkippedTests {
    static final String DOCKER_ABSENT = "disabledWithoutDocker is true and Docker is not available";

    public static void main(String[] args) throws Exception {
        Set<String> allowed = Files.readAllLines(Path.of(args[0])).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toCollection(TreeSet::new));
        List<Path> reports = reports(Path.of("."));
        if (reports.isEmpty()) {
            System.err.println("skipped-test check: no test reports under */target/{surefire,failsafe}-reports");
            System.exit(1);
        }
        int tests = 0, failed = 0, skipped = 0;
        List<String> allowedSkips = new ArrayList<>();
        List<String> wrongSkips = new ArrayList<>();
        for (Path report : reports) {
            NodeList cases = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(report.toFile())
                    .getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                tests++;
                if (c.getElementsByTagName("failure").getLength() > 0
                        || c.getElementsByTagName("error").getLength() > 0) {
                    failed++;
                }
                NodeList skip = c.getElementsByTagName("skipped");
                if (skip.getLength() == 0) continue;
                skipped++;
                String name = c.getAttribute("classname") + "#" + c.getAttribute("name");
                String why = ((Element) skip.item(0)).getAttribute("message");
                if (allowed.contains(c.getAttribute("classname")) && why.equals(DOCKER_ABSENT)) {
                    allowedSkips.add(name);
                } else {
                    wrongSkips.add(name + " (" + (why.isEmpty() ? "no reason given" : why) + ") in " + report);
                }
            }
        }
        System.out.println("tests: " + (tests - failed - skipped) + " passed, " + failed + " failed, " + skipped
                + " skipped");
        if (!allowedSkips.isEmpty()) {
            System.out.println("skipped without Docker, as allowed (" + args[0] + "): " + allowedSkips);
        }
        if (!wrongSkips.isEmpty()) {
            System.err.println("skipped-test check FAILED: " + wrongSkips.size()
                    + " test(s) skipped outside the allowed Docker-only set (" + args[0] + "):");
            wrongSkips.forEach(s -> System.err.println("  " + s));
            System.exit(1);
        }
    }

    /** TEST-*.xml of every module's surefire-reports and failsafe-reports. */
    static List<Path> reports(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.sorted().toList()) {
                for (String kind : List.of("surefire-reports", "failsafe-reports")) {
                    Path dir = module.resolve("target").resolve(kind);
                    if (!Files.isDirectory(dir)) continue;
                    try (Stream<Path> files = Files.list(dir)) {
                        files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml"))
                                .sorted()
                                .forEach(out::add);
                    }
                }
            }
        }
        return out;
    }
}
