package dev.linnet.flink.cli;

import dev.linnet.flink.jobs.DigestSettings;
import dev.linnet.flink.jobs.TopicDigestJob;
import dev.linnet.flink.jobs.TopicDigestSettings;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "topic-digest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {TopicDigestCommand.SUMMARY, TopicDigestCommand.DETAILS, ""})
public class TopicDigestCommand extends JobCommand<DigestSettings, TopicDigestSettings> {

    /** The first line of --help. */
    public static final String SUMMARY = "Writes a rolling digest per key (document, channel, service).";

    /** What the job reads and writes, for --help. */
    public static final String DETAILS =
            "Every N records or T of event time per key, a JSON record (default topic linnet-digests): counts, the "
                    + "K most novel records (highest surprisal given the stream), the K most representative (closest "
                    + "to the stream's embedding) and, with --summary-tokens, text the model writes after a prompt "
                    + "from a copy of the stream's state. Exactly once; bad input goes to the dead-letter topic.";

    public static final String NAME = "linnet-topic-digest";
    static final String DEFAULT_OUTPUT_TOPIC = "linnet-digests";

    @Option(
            names = "--every-records",
            paramLabel = "N",
            defaultValue = "100",
            description = "Close a key's digest after N records. Default: ${DEFAULT-VALUE}.")
    int everyRecords;

    @Option(
            names = "--every-time",
            paramLabel = "DURATION",
            defaultValue = "5min",
            converter = DurationConverter.class,
            description =
                    "Or after this much event time since its first record (0 for never). Default: ${DEFAULT-VALUE}.")
    Duration everyTime;

    @Option(
            names = "--top",
            paramLabel = "K",
            defaultValue = "3",
            description = "Novel and representative records listed per digest. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(
            names = "--summary-tokens",
            paramLabel = "N",
            defaultValue = "0",
            description = "Tokens of summary text the model writes per digest (0: none; it costs a second model pass "
                    + "over every record). Default: ${DEFAULT-VALUE}.")
    int summaryTokens;

    @Option(
            names = "--summary-prompt",
            paramLabel = "TEXT",
            defaultValue = "\nSummary:",
            description =
                    "What the model is given, after the stream, before it writes the summary. Default: a new line and 'Summary:'.")
    String summaryPrompt;

    @Option(
            names = "--out-of-orderness",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How late in event time records may arrive. Default: ${DEFAULT-VALUE}.")
    Duration outOfOrderness;

    public TopicDigestCommand() {
        super("linnet topic-digest", NAME, DEFAULT_OUTPUT_TOPIC, TopicDigestSettings::new, TopicDigestJob::build);
    }

    @Override
    DigestSettings ownSettings() {
        return new DigestSettings(everyRecords, everyTime, top, summaryTokens, summaryPrompt, outOfOrderness);
    }
}
