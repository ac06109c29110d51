package dev.linnet.flink.jobs;

import org.junit.jupiter.api.Test;

/** The log-anomaly job on a MiniCluster against the in-JVM KRaft broker. */
class LogAnomalyJobTest extends InProcessJobTest {

    @Test
    void everyRecordIsScoredOrDeadLetteredExactlyOnceDespiteAFailure() throws Exception {
        LogAnomalyScenario scenario = new LogAnomalyScenario(KAFKA.broker().bootstrapServers(), model, "failure");
        var sent = scenario.feed();
        scenario.run(true);
        scenario.check(sent);
    }

    @Test
    void jsonLinesWithoutTheConfiguredFieldsGoToTheDeadLetterTopic() throws Exception {
        new LogAnomalyScenario(KAFKA.broker().bootstrapServers(), model, "json").runJsonCase();
    }
}
