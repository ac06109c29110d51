package dev.linnet.flink.local;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the embedded run only (no --bootstrap-servers). */
final class EmbeddedArgs {

    @Option(
            names = "--sample-lines",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Embedded run: most sample lines to feed. Default: ${DEFAULT-VALUE}.")
    int sampleLines;

    @Option(
            names = "--no-malformed",
            description = "Embedded run: do not add the three malformed records that show the dead-letter topic.")
    boolean noMalformed;

    @Option(
            names = "--print",
            paramLabel = "WHAT",
            defaultValue = "all",
            description =
                    "Embedded run: which results to print as they come: all, anomalies or none. Default: ${DEFAULT-VALUE}.")
    String print;

    @Option(
            names = "--chart",
            paramLabel = "FILE",
            defaultValue = "linnet-log-anomaly.html",
            description = "Embedded run: where to write the HTML chart. Default: ${DEFAULT-VALUE}.")
    Path chart;

    boolean printAll() {
        return print.equals("all");
    }

    boolean printAnomalies() {
        return print.equals("all") || print.equals("anomalies");
    }

    void validate() {
        if (!print.equals("all") && !print.equals("anomalies") && !print.equals("none")) {
            throw new IllegalArgumentException("--print must be all, anomalies or none, got '" + print + "'");
        }
        if (sampleLines < 1) {
            throw new IllegalArgumentException("--sample-lines must be at least 1, got " + sampleLines);
        }
    }
}
