package dev.linnet.flink.local;

import dev.linnet.flink.kafka.EmbeddedKafka;
import java.io.OutputStream;
import java.io.PrintStream;

/** Starts the in-JVM broker without letting Kafka's storage formatter print to stdout, where results go. */
final class QuietBroker {

    private QuietBroker() {}

    static synchronized EmbeddedKafka start() {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return EmbeddedKafka.start();
        } finally {
            System.setOut(stdout);
        }
    }
}
