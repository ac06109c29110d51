package dev.linnet.flink.jobs;

import org.junit.jupiter.api.Test;

/** The log-anomaly job on a MiniCluster against the in-JVM KRaft broker. */
class LogAnomalyJobTest extends InProcessJobTest {

    @Test
    void everyRecordIsScoredOrDeadLetteredExactlyOnceDespiteAFailure() throws Exception {
        LogAnomalyScenario scenario = new LogAnomalyScenario(kafka.bootstrapServers(), model, "failure");
        var sent = scenario.feed();
        scenario.run(true);
        scenario.check(sent);
    }

    @Test
    void jsonLinesWithoutTheConfiguredFieldsGoToTheDeadLetterTopic() throws Exception {
        new LogAnomalyScenario(kafka.bootstrapServers(), model, "json").runJsonCase();
    }
}
