package io.aicredits.stream.testing;

import io.aicredits.infra.KafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real KRaft broker for a test class: started before its first test with every project topic
 * created, stopped after its last. Register it as
 * {@code @RegisterExtension static final BrokerPerClass kafka = new BrokerPerClass(3);}.
 */
public final class BrokerPerClass implements BeforeAllCallback, AfterAllCallback {

    private final int partitions;
    private KafkaBroker broker;

    /** @param partitions partitions of every topic */
    public BrokerPerClass(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBroker.start();
        broker.createAllTopics(partitions);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }

    /** The running broker. */
    public KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the test class's first test");
        }
        return broker;
    }
}
