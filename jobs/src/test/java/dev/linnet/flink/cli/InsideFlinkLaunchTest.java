package dev.linnet.flink.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Under Flink's launchers main must neither exit the JVM (it may be the JobManager's) nor swallow exceptions
 * (Flink stops a program with one when it only wants its job graph): both reach the caller.
 */
class InsideFlinkLaunchTest {
    @Test
    void usageErrorsAndFailuresAreThrownNotExited() {
        Exception usage =
                assertThrows(IllegalArgumentException.class, () -> LinnetJobs.runInsideFlink("no-such-command"));
        assertTrue(usage.getMessage().contains("wrong usage"), usage.getMessage());
        Exception badValue = assertThrows(
                IllegalArgumentException.class,
                () -> LinnetJobs.runInsideFlink("log-anomaly", "--max-tokens", "not-a-number"));
        assertTrue(badValue.getMessage().contains("wrong usage"), badValue.getMessage());
    }
}
