package dev.linnet.flink.jobs;

import org.junit.jupiter.api.Test;

/** The topic-digest job on a MiniCluster against the in-JVM broker ({@link TopicDigestScenario}). */
class TopicDigestJobTest extends InProcessJobTest {

    @Test
    void everyNRecordsWithNovelRepresentativeAndSummary() throws Exception {
        new TopicDigestScenario(KAFKA.broker().bootstrapServers(), model)
                .everyNRecordsWithNovelRepresentativeAndSummary();
    }

    @Test
    void everyTOfEventTimeClosesDigestsAtTheSameRecordsWhateverTheWatermarks() throws Exception {
        new TopicDigestScenario(KAFKA.broker().bootstrapServers(), model).everyTOfEventTimeClosesDigests();
    }
}
