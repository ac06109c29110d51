package dev.linnet.flink.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The local runner's command line: the jobs' commands with their embedded options, and the benchmark. */
class LinnetLocalCliTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LinnetLocal.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpOnEveryCommand() {
        Result top = run("--help");
        assertEquals(0, top.code());
        for (String c : new String[] {"log-anomaly", "topic-digest", "bench-log-anomaly"}) {
            assertTrue(top.out().contains(c), "top-level help lists " + c);
            Result r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: linnet-local.jar " + c), r.out());
        }
        String logAnomaly = run("log-anomaly", "--help").out();
        assertTrue(logAnomaly.contains("--bootstrap-servers"), logAnomaly);
        assertTrue(logAnomaly.contains("--z-threshold"), logAnomaly);
        assertTrue(logAnomaly.contains("--sample-lines"), logAnomaly);
        assertTrue(logAnomaly.contains("Without --bootstrap-servers it runs embedded"), logAnomaly);
        // the option list (not the synopsis, which picocli sorts)
        int kafka = logAnomaly.indexOf("      --bootstrap-servers=");
        int own = logAnomaly.indexOf("      --z-threshold=");
        int embedded = logAnomaly.indexOf("      --sample-lines=");
        assertTrue(
                kafka >= 0 && kafka < own && own < embedded,
                "Kafka options first, the job's own next, the embedded run's last");
        assertTrue(run("topic-digest", "--help").out().contains("--every-records"));
    }

    @Test
    void embeddedOptionsAreCheckedBeforeAnythingStarts() {
        Result print = run("log-anomaly", "--print", "some");
        assertEquals(2, print.code());
        assertTrue(print.err().contains("--print must be all, anomalies or none"), print.err());

        Result lines = run("topic-digest", "--sample-lines", "0");
        assertEquals(2, lines.code());
        assertTrue(lines.err().contains("--sample-lines must be at least 1"), lines.err());
    }
}
