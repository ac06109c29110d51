package dev.linnet.flink.local;

import dev.linnet.flink.cli.LogAnomalyCommand;
import dev.linnet.flink.jobs.AnomalySettings;
import dev.linnet.flink.jobs.LineParseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The job's command, and without --bootstrap-servers its embedded run. */
@Command(
        name = "log-anomaly",
        description = {
            LogAnomalyCommand.SUMMARY,
            LogAnomalyCommand.DETAILS,
            "",
            "Without --bootstrap-servers it runs embedded: an in-JVM Kafka broker, a local Flink MiniCluster, the "
                    + "bundled model and sample logs through the same Kafka source and sinks; it prints the scored "
                    + "lines and writes an HTML chart of scores over time per key.",
            ""
        })
final class LocalLogAnomalyCommand extends LogAnomalyCommand {

    @Mixin
    EmbeddedArgs embedded = new EmbeddedArgs();

    @Override
    protected int runEmbedded(AnomalySettings anomaly, LineParseSettings parseSettings) throws Exception {
        return new EmbeddedLogAnomalyRun(this, anomaly, parseSettings).run();
    }
}
