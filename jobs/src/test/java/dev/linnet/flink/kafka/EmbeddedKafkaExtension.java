package dev.linnet.flink.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-JVM KRaft broker for one test class: started before its first test and closed after its last. Register
 * it on a static field: {@code @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();}
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafka broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker. */
    public EmbeddedKafka broker() {
        if (broker == null) {
            throw new IllegalStateException("no broker is running: register EmbeddedKafkaExtension on a static "
                    + "@RegisterExtension field and use it from the test class's tests");
        }
        return broker;
    }
}
