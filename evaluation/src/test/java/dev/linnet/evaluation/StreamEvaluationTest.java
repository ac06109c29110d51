package dev.linnet.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linnet.engine.model.DefaultModel;
import dev.linnet.evaluation.cli.EvalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamEvaluationTest {
    private static final String DEFAULT_MODEL = "../" + DefaultModel.SOURCE_PATH;
    /** The model's name in the report: its directory's. */
    private static final String NAME = Path.of(DEFAULT_MODEL).getFileName().toString();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int eval(String... args) throws Exception {
        return new EvalCommand()
                .run(
                        args,
                        new ByteArrayInputStream(new byte[0]),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path logFile(String name, int lines) throws Exception {
        LogTraffic t = new LogTraffic(21);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) sb.append(t.next().text()).append('\n');
        return Files.writeString(dir.resolve(name), sb, StandardCharsets.UTF_8);
    }

    @Test
    void loghubFilesAreTheSystemsTwoThousandLineSamplesInNameOrder() throws Exception {
        Path loghub = dir.resolve("loghub");
        for (String system : new String[] {"Zoo", "Apache", "BGL"}) {
            Files.createDirectories(loghub.resolve(system));
            Files.writeString(loghub.resolve(system).resolve(system + "_2k.log"), "x\n");
        }
        Files.writeString(loghub.resolve("BGL").resolve("BGL_2k.log_structured.csv"), "a,b\n");
        Files.createDirectories(loghub.resolve("hdfs100k_sessions"));
        Files.writeString(loghub.resolve("README.md"), "not a system");
        List<StreamEvaluation.Source> found = StreamEvaluation.loghubFiles(loghub);
        assertEquals(
                List.of("Apache", "BGL", "Zoo"),
                found.stream().map(StreamEvaluation.Source::system).toList());
        assertEquals(loghub.resolve("BGL").resolve("BGL_2k.log"), found.get(1).file());
        assertEquals("app", StreamEvaluation.file(Path.of("/var/log/app.log")).system());
    }

    @Test
    void evalStreamPrintsOneRowPerFileAndWritesTheCsv() throws Exception {
        Path log = logFile("shop.log", 4);
        Path csv = dir.resolve("rows.csv");
        assertEquals(
                0,
                eval(
                        "stream",
                        "--model",
                        DEFAULT_MODEL,
                        "--file",
                        log.toString(),
                        "--chunk",
                        "64",
                        "--csv",
                        csv.toString()),
                err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("gzip -9: ") && text.contains("zstd -19: ") && text.contains("xz -9e: "), text);
        assertTrue(text.contains("| system | bytes | tokens | model | Q1 | Q2 | Q3 | Q4 | Q4/Q1 |"), text);
        assertTrue(text.contains("| shop | " + Files.size(log) + " | "), text);
        assertTrue(text.contains(NAME + ": at or below xz -9e on "), text);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith(NAME + ",shop," + Files.size(log) + ","), lines.get(1));
    }

    @Test
    void repeatToFeedsOneLongRenewedStreamAndReportsItsTenths() throws Exception {
        Path log = logFile("shop.log", 2);
        assertEquals(
                0,
                eval(
                        "stream",
                        "--model",
                        DEFAULT_MODEL,
                        "--file",
                        log.toString(),
                        "--repeat-to",
                        "300",
                        "--seed",
                        "3",
                        "--chunk",
                        "64"),
                err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(
                text.contains(
                        "| T1 | T2 | T3 | T4 | T5 | T6 | T7 | T8 | T9 | T10 | whole | last/first | max/first | NaN or inf |"),
                text);
        String row = text.lines()
                .filter(l -> l.startsWith("| " + NAME + " | shop |"))
                .findFirst()
                .orElseThrow();
        assertTrue(row.endsWith(" | 0 |"), "no NaN or infinite surprisal: " + row);
        assertTrue(!row.contains("n/a"), row);
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertEquals(2, eval("stream", "--model", DEFAULT_MODEL));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--loghub DIR"), err.toString(StandardCharsets.UTF_8));
        assertEquals(
                2,
                eval(
                        "stream",
                        "--model",
                        DEFAULT_MODEL,
                        "--file",
                        dir.resolve("missing.log").toString()));
        assertEquals(2, eval("stream", "--model", DEFAULT_MODEL, "--file", "x.log", "--repeat-to", "0"));
        out.reset();
        assertEquals(0, eval("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("eval stream  --model"));
    }
}
