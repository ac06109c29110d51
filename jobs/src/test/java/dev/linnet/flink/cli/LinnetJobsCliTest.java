package dev.linnet.flink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The command line: help everywhere, and usage errors that name what to fix, without starting anything. */
class LinnetJobsCliTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LinnetJobs.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpOnEveryCommand() {
        Result top = run("--help");
        assertEquals(0, top.code());
        for (String c : new String[] {"log-anomaly", "topic-digest"}) {
            assertTrue(top.out().contains(c), "top-level help lists " + c);
            Result r = run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().contains("Usage: linnet-jobs.jar " + c), r.out());
        }
        assertTrue(run("log-anomaly", "--help").out().contains("--bootstrap-servers"));
        assertTrue(run("topic-digest", "--help").out().contains("--every-records"));
    }

    @Test
    void noCommandIsAUsageError() {
        Result r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("name a command"), r.err());
    }

    @Test
    void unknownOptionsAndBadValuesSayWhatToFix() {
        Result unknown = run("log-anomaly", "--bootstrap", "x:9092");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--bootstrap"), unknown.err());

        Result duration = run("log-anomaly", "--checkpoint-interval", "5 parsecs");
        assertEquals(2, duration.code());
        assertTrue(duration.err().contains("500ms, 2s, 5min or 1h"), duration.err());

        Result keyFrom = run("log-anomaly", "--key-from", "header");
        assertEquals(2, keyFrom.code());
        assertTrue(keyFrom.err().contains("record-key, regex, json-field"), keyFrom.err());
    }

    @Test
    void invalidSettingsAreReportedBeforeAnythingStarts() {
        Result tokens = run("log-anomaly", "--bootstrap-servers", "localhost:1", "--max-tokens", "0");
        assertEquals(2, tokens.code());
        assertTrue(tokens.err().contains("--max-tokens (linnet.record.max-tokens) must be at least 1"), tokens.err());
        assertTrue(tokens.err().contains("--help"), tokens.err());

        Result regex = run("log-anomaly", "--bootstrap-servers", "localhost:1", "--key-from", "regex");
        assertEquals(2, regex.code());
        assertTrue(regex.err().contains("--key-regex"), regex.err());

        Result request =
                run("log-anomaly", "--bootstrap-servers", "localhost:1", "--kafka-property", "max.request.size=8193");
        assertEquals(2, request.code());
        assertTrue(
                request.err()
                        .contains("--kafka-property max.request.size must be at least "
                                + dev.linnet.flink.jobs.KafkaIo.MIN_REQUEST_BYTES + " bytes"),
                request.err());

        Result z = run("log-anomaly", "--bootstrap-servers", "localhost:1", "--z-threshold", "-1");
        assertEquals(2, z.code());
        assertTrue(z.err().contains("--z-threshold"), z.err());

        Result alarm = run("log-anomaly", "--bootstrap-servers", "localhost:1", "--alarm", "loudest");
        assertEquals(2, alarm.code());
        assertTrue(alarm.err().contains("'loudest' is not one of z-score, exceedance"), alarm.err());

        Result exceedance = run(
                "log-anomaly",
                "--bootstrap-servers",
                "localhost:1",
                "--alarm",
                "exceedance",
                "--exceedance-threshold",
                "0");
        assertEquals(2, exceedance.code());
        assertTrue(exceedance.err().contains("--exceedance-threshold must be a positive number"), exceedance.err());

        Result every = run("topic-digest", "--bootstrap-servers", "localhost:1", "--every-records", "0");
        assertEquals(2, every.code());
        assertTrue(every.err().contains("--every-records"), every.err());
    }

    @Test
    void withoutBootstrapServersTheJobJarSaysWhatToGive() {
        for (String c : new String[] {"log-anomaly", "topic-digest"}) {
            Result r = run(c);
            assertEquals(2, r.code(), c);
            assertTrue(r.err().contains("--bootstrap-servers is required"), r.err());
            assertTrue(r.err().contains("linnet-local.jar"), r.err());
        }
        assertTrue(
                !run("log-anomaly", "--help").out().contains("--sample-lines"), "no embedded options in the job jar");
    }

    @Test
    void durationsReadTheUsualWays() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ofMillis(250), c.convert("250ms"));
        assertEquals(Duration.ofSeconds(2), c.convert("2s"));
        assertEquals(Duration.ofMinutes(5), c.convert("5min"));
        assertEquals(Duration.ofHours(1), c.convert("1h"));
        assertEquals(Duration.ofMinutes(3), c.convert("PT3M"));
        assertEquals(Duration.ZERO, c.convert("0"));
    }
}
