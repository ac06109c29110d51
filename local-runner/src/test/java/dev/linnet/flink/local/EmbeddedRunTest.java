package dev.linnet.flink.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-command runs, in-process: in-JVM broker, local MiniCluster, the model this build has (the stand-in
 * until a default model is bundled), sample logs, the production job; they must end cleanly with their output.
 */
class EmbeddedRunTest {

    @TempDir
    Path dir;

    private static String capture(Runnable r) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        saved.print(out);
        return out;
    }

    @Test
    void logAnomalyScoresTheSamplesAndWritesTheChart() throws Exception {
        Path chart = dir.resolve("scores.html");
        int[] code = new int[1];
        String out = capture(() -> code[0] = LinnetLocal.execute(
                "log-anomaly", "--sample-lines", "90", "--print", "anomalies", "--chart", chart.toString()));
        assertEquals(0, code[0], out);
        assertTrue(out.contains("fed 93 records"), out);
        assertTrue(out.contains("93 records in, 92 lines scored"), out);
        assertTrue(out.contains("chart: " + chart.toAbsolutePath()), out);
        if (out.contains("STAND-IN MODEL")) {
            assertTrue(out.contains("scores are not meaningful"), "the stand-in is said plainly");
        }
        String html = Files.readString(chart);
        assertTrue(html.contains("<svg") && html.contains("</html>"), "a complete page");
        assertTrue(html.contains("<h2>unkeyed"), "a panel for the line without a key, scored under the default key");
        assertTrue(html.split("<h2>").length >= 3, "a panel per key of the samples too");
    }

    @Test
    void topicDigestPrintsDigests() {
        int[] code = new int[1];
        String out = capture(() -> code[0] = LinnetLocal.execute(
                "topic-digest",
                "--sample-lines",
                "30",
                "--every-records",
                "10",
                "--every-time",
                "0",
                "--no-malformed"));
        assertEquals(0, code[0], out);
        assertTrue(out.contains("digest "), out);
        assertTrue(out.contains("most novel:") && out.contains("most representative:"), out);
        assertTrue(out.matches("(?s).*30 records in, \\d+ digests, 0 dead letters.*"), out);
    }
}
