package dev.linnet.flink.local;

import dev.linnet.flink.cli.JobCommand;
import dev.linnet.flink.jobs.KafkaEndpoints;
import dev.linnet.flink.jobs.ModelChoice;
import dev.linnet.flink.jobs.StartingOffsets;
import dev.linnet.flink.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What every embedded run sets up before its job starts: the model (said plainly when it is the stand-in),
 * the sample logs, an in-JVM broker with the job's topics, and the samples written to the input topic.
 */
final class EmbeddedStage implements AutoCloseable {

    static final int PARTITIONS = 2;

    final ModelChoice model;
    final SampleLog sample;
    final EmbeddedKafka broker;
    final KafkaEndpoints kafka;
    final SampleFeeder.Sent sent;

    private EmbeddedStage(
            ModelChoice model, SampleLog sample, EmbeddedKafka broker, KafkaEndpoints kafka, SampleFeeder.Sent sent) {
        this.model = model;
        this.sample = sample;
        this.broker = broker;
        this.kafka = kafka;
        this.sent = sent;
    }

    static EmbeddedStage prepare(JobCommand<?, ?> cmd, EmbeddedArgs embedded, PrintStream out) throws Exception {
        embedded.validate();
        long t0 = System.nanoTime();
        ModelChoice choice = cmd.resolveModel();
        out.println(cmd.title() + ", embedded run");
        if (choice.standIn()) {
            out.println("*** " + choice.description() + " ***");
        } else {
            out.println("model: " + choice.description());
        }
        out.println("tokenizer: " + choice.tokenizer().create().describe());
        SampleLog sample = BundledSamples.load(embedded.sampleLines);
        if (sample == null) {
            sample = SyntheticLogs.generate(embedded.sampleLines, 7);
        }
        out.println("input: " + sample.description());
        EmbeddedKafka broker = QuietBroker.start();
        try {
            KafkaEndpoints k = cmd.endpoints(broker.bootstrapServers(), true);
            // a fresh broker: read the samples from their beginning, and stop after them
            KafkaEndpoints kafka = new KafkaEndpoints(
                    k.bootstrapServers(),
                    k.inputTopic(),
                    k.outputTopic(),
                    k.deadLetterTopic(),
                    k.groupId(),
                    k.transactionalIdPrefix(),
                    StartingOffsets.EARLIEST,
                    true,
                    k.clientProperties());
            broker.createTopics(PARTITIONS, kafka.inputTopic(), kafka.outputTopic(), kafka.deadLetterTopic());
            out.printf(
                    Locale.ROOT,
                    "kafka: in-JVM broker at %s (ready %.1f s after start); topics %s -> %s, dead letters -> %s%n",
                    broker.bootstrapServers(),
                    (System.nanoTime() - t0) / 1e9,
                    kafka.inputTopic(),
                    kafka.outputTopic(),
                    kafka.deadLetterTopic());
            SampleFeeder.Sent sent =
                    SampleFeeder.send(broker.bootstrapServers(), kafka.inputTopic(), sample, !embedded.noMalformed);
            out.println("fed " + sent.records() + " records"
                    + (embedded.noMalformed ? "" : " (3 of them malformed on purpose: empty, not UTF-8, no key)"));
            return new EmbeddedStage(choice, sample, broker, kafka, sent);
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
