package dev.linnet.flink.local;

import dev.linnet.flink.cli.TopicDigestCommand;
import dev.linnet.flink.jobs.DigestSettings;
import dev.linnet.flink.jobs.LineParseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The job's command, and without --bootstrap-servers its embedded run. */
@Command(
        name = "topic-digest",
        description = {
            TopicDigestCommand.SUMMARY,
            TopicDigestCommand.DETAILS,
            "",
            "Without --bootstrap-servers it runs embedded on the bundled sample logs and prints the digests.",
            ""
        })
final class LocalTopicDigestCommand extends TopicDigestCommand {

    @Mixin
    EmbeddedArgs embedded = new EmbeddedArgs();

    @Override
    protected int runEmbedded(DigestSettings digest, LineParseSettings parseSettings) throws Exception {
        return new EmbeddedTopicDigestRun(this, digest, parseSettings).run();
    }
}
